using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Agents.Remote;

/// <summary>
/// One agent of <c>Agents:Remote</c>: an MCP client (made once, kept) to the remote Api's <c>ask_NAME</c>. A hand-off asks
/// with a key made of the coordinator's run and hand-off call id, so asking again (a wait that ended undecided, a retry
/// after a lost connection, a turn resumed after a restart) follows the same remote turn and never starts a second one.
/// While the remote turn waits for a person the coordinator's turn waits with it, showing the remote approval, for as
/// long as it takes (the remote approval's own timeout ends it in a denial); a remote turn still running without waiting
/// for anyone is given <see cref="Wait"/>. A refusal by the remote (a wrong key, a tool not served) fails at once.
/// </summary>
public sealed class RemoteAgent(
    string name,
    RemoteAgentOptions options,
    GovernancePolicyProvider policies,
    Func<HttpClient>? httpClient,
    ILoggerFactory loggers,
    TimeProvider time) : IAsyncDisposable
{
    /// <summary>Transport failures in a row (nothing answered) before the hand-off gives up.</summary>
    internal const int MaxFailuresInARow = 3;

    /// <summary>How long an ask waits before the remote turn is known to wait for a person: how soon this turn shows that wait.</summary>
    internal const int StatusSeconds = 2;

    private static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = loggers.CreateLogger<RemoteAgent>();
    private McpClient? _client;
    private AgentDefinition? _definition;
    private int _maxWaitSeconds = 120;

    public string Name => name;

    public Uri Url { get; } = new(options.Url);

    public string Tool => "ask_" + name;

    /// <summary>How long one hand-off waits for the outcome: <c>WaitSeconds</c>, or the coordinator's approval timeout.</summary>
    public TimeSpan Wait => options.WaitSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : policies.Current.Options.Approval.Timeout;

    /// <summary>
    /// The agent as the remote describes it (its tools/list), fetched on first need and kept. A remote that cannot be
    /// reached fails the run that needs it, naming the setting; the next run tries again.
    /// </summary>
    public async Task<AgentDefinition> DescribeAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _definition) is { } known)
        {
            return known;
        }

        try
        {
            var client = await ClientAsync(cancellationToken);
            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
            var tool = tools.FirstOrDefault(t => t.Name == Tool)
                ?? throw new AgentRunException($"The agent server at {Url} (Agents:Remote:{name}:Url) does not offer '{Tool}' to this coordinator's key; it offers {(tools.Count == 0 ? "nothing" : string.Join(", ", tools.Select(t => t.Name)))}. Serve the agent there (AgentServer:Agents:{name}) to a role the key holds.");
            if (tool.JsonSchema.TryGetProperty("properties", out var properties) && properties.TryGetProperty("wait_seconds", out var wait)
                && wait.TryGetProperty("maximum", out var maximum) && maximum.TryGetInt32(out var seconds))
            {
                _maxWaitSeconds = Math.Max(0, seconds);
            }

            var definition = new AgentDefinition(name, tool.Description, "-") { Source = Url.ToString() };
            Volatile.Write(ref _definition, definition);
            return definition;
        }
        catch (Exception ex) when (ex is not AgentRunException && !cancellationToken.IsCancellationRequested && Refusal(ex) is { } status)
        {
            throw new AgentRunException($"The agent server at {Url} refused the coordinator's key ({(int)status} {status}): check Agents:Remote:{name}:ApiKey, and that the key is one of Auth:Keys there.");
        }
        catch (Exception ex) when (ex is not AgentRunException && !cancellationToken.IsCancellationRequested)
        {
            throw new AgentRunException($"The remote agent '{name}' at {Url} (Agents:Remote:{name}:Url) could not be reached: {ex.Message}. Start it or correct the URL; the next turn tries again.");
        }
    }

    /// <summary>The agent as the remote describes it, or, while the remote cannot be reached, a plain description and why, so a turn that never hands off to it is unaffected.</summary>
    public async Task<(AgentDefinition Definition, string? Unreachable)> DescribeOrFallbackAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await DescribeAsync(cancellationToken), null);
        }
        catch (AgentRunException ex)
        {
            _logger.LogWarning("{Reason} The hand-off is offered with a plain description until it answers.", ex.Message);
            return (new AgentDefinition(name, $"Hands work to the {name} agent (remote).", "-") { Source = Url.ToString() }, ex.Message);
        }
    }

    /// <summary>Asks the remote agent for the person <paramref name="run"/> acts for; returns the reply, or throws when there is none.</summary>
    public async Task<string> AskAsync(AgentRunContext run, string toolCallId, string request, ToolCallContext? governed, CancellationToken cancellationToken)
    {
        var key = KeyFor(run, toolCallId);
        var meta = DelegationMeta.For(run, toolCallId, Instance);
        governed?.AddNote("remoteUrl", Url.ToString());
        governed?.AddNote("remoteKey", key);
        if (Activity.Current is { } activity)
        {
            governed?.AddNote("traceId", activity.TraceId.ToHexString());
        }

        // A remote that could not be described fails here with the reason and the setting; its turn never started.
        await DescribeAsync(cancellationToken);
        var deadline = time.GetUtcNow() + Wait;
        string? conversation = null;
        string? waitingOn = null;
        var ended = "the hand-off ended";
        var failures = 0;
        try
        {
            while (true)
            {
                // Short asks until the remote turn waits for a person (so this turn shows the wait as soon as it starts), then
                // asks as long as the remote allows; a turn that ends answers at once either way.
                var remaining = deadline - time.GetUtcNow();
                var wait = waitingOn is not null ? _maxWaitSeconds : (int)Math.Clamp(Math.Ceiling(remaining.TotalSeconds), 0, Math.Min(StatusSeconds, _maxWaitSeconds));
                var arguments = new Dictionary<string, object?> { ["message"] = request, ["idempotency_key"] = key, ["wait_seconds"] = wait };
                if (conversation is not null)
                {
                    arguments["conversation_id"] = conversation;
                }

                RemoteAnswer answer;
                try
                {
                    answer = await CallAsync(arguments, meta, TimeSpan.FromSeconds(wait) + Margin, cancellationToken);
                    failures = 0;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Refusal(ex) is { } status)
                {
                    // Not transient: the remote refused the request itself (a wrong key, a missing role), so no turn started there.
                    throw new InvalidOperationException($"The agent server at {Url} refused the coordinator's request ({(int)status} {status}): check Agents:Remote:{name}:ApiKey and the roles the key holds there (AgentServer:Agents:{name}). {ex.Message}", ex);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not McpProtocolException)
                {
                    // Asking again with the key is safe: the remote answers from the turn the first ask started, if it did.
                    _logger.LogWarning(ex, "Asking the remote agent {Agent} at {Url} failed", name, Url);
                    if (++failures >= MaxFailuresInARow || time.GetUtcNow() >= deadline)
                    {
                        throw new ToolOutcomeUnknownException($"The remote agent '{name}' at {Url} could not be asked ({ex.Message}); whether its turn started is unknown. It is asked again with the same key ({key}) if this turn is resumed.", ex);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(failures), time, cancellationToken);
                    continue;
                }

                conversation = answer.ConversationId ?? conversation;
                if (conversation is not null)
                {
                    governed?.AddNote("remoteConversationId", conversation);
                }

                if (answer.ApprovalId is not null)
                {
                    // A person decides there; the remote approval ends by its own timeout, so the wait is not cut short here.
                    deadline = time.GetUtcNow() + Wait;
                }

                if (answer.ApprovalId is { } approval && approval != waitingOn)
                {
                    // The coordinator's turn shows the wait as its own: status waiting, on the remote's approval id.
                    waitingOn = approval;
                    governed?.AddNote("remoteApprovalId", approval);
                    run.Events?.Publish(new GovernanceEvent(GovernanceEventTypes.ApprovalPending, name, null, toolCallId, time.GetUtcNow())
                    {
                        ApprovalId = approval,
                        Reason = $"The {name} agent at {Url} waits for approval {approval}; it is decided there.",
                    });
                }

                if (!answer.Pending)
                {
                    ended = "it has answered";
                    if (answer.NoAnswer is { } none)
                    {
                        // The remote's model had no answer: this turn fails the same way, with no address in what is said.
                        throw new ModelNoAnswerException(none.Reply, $"The remote agent '{name}' had no answer (its conversation {conversation ?? "unknown"}): {none.Detail ?? "no detail given"}");
                    }

                    return answer.IsError
                        ? throw new InvalidOperationException($"The remote agent '{name}' at {Url} refused or failed: {answer.Text}")
                        : answer.Text;
                }

                if (answer.ApprovalId is null && time.GetUtcNow() >= deadline)
                {
                    throw new ToolOutcomeUnknownException($"The remote agent '{name}' at {Url} has not finished within {Wait.TotalSeconds:0} s (Agents:Remote:{name}:WaitSeconds): {answer.Text} It is asked again with the same key ({key}) if this turn is resumed.");
                }

                if (wait < 1)
                {
                    // The ask did not wait (the remote allows no wait, or the deadline has come): pause, not a tight loop.
                    await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
                }
            }
        }
        finally
        {
            if (waitingOn is not null)
            {
                // Whatever ended the hand-off, this turn no longer waits on the remote approval.
                run.Events?.Publish(new GovernanceEvent(GovernanceEventTypes.ApprovalResolved, name, null, toolCallId, time.GetUtcNow())
                {
                    ApprovalId = waitingOn,
                    Reason = $"The {name} agent at {Url}: {ended}.",
                });
            }
        }
    }

    /// <summary>The HTTP status of a refusal by the agent server (4xx other than a timeout or throttling), or null for a failure worth retrying.</summary>
    private static System.Net.HttpStatusCode? Refusal(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: { } status } && (int)status is >= 400 and < 500 and not 408 and not 429)
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>The remote idempotency key of one hand-off: the coordinator's run and call, so every ask of it names one remote turn.</summary>
    internal static string KeyFor(AgentRunContext run, string toolCallId)
    {
        var key = $"{run.RunId}/{toolCallId}";
        return key.Length <= 200 ? key : "sha256:" + Hashing.Sha256Hex(Encoding.UTF8.GetBytes(key));
    }

    private async Task<RemoteAnswer> CallAsync(Dictionary<string, object?> arguments, System.Text.Json.Nodes.JsonObject meta, TimeSpan limit, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var result = await client.CallToolAsync(Tool, arguments, options: new RequestOptions { Meta = meta }, cancellationToken: timeout.Token);
        return RemoteAnswer.Read(string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)), result.IsError == true, result.Meta);
    }

    private async Task<McpClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { } client)
        {
            return client;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is not null)
            {
                return _client;
            }

            var transport = new HttpClientTransportOptions
            {
                Name = "agent:" + name,
                Endpoint = Url,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["X-Api-Key"] = options.ApiKey },
            };
            var created = await McpClient.CreateAsync(
                httpClient is null ? new HttpClientTransport(transport, loggers) : new HttpClientTransport(transport, httpClient(), loggers, ownsHttpClient: true),
                new McpClientOptions { ClientInfo = new Implementation { Name = "agentsuite-coordinator", Version = "1.0.0" } },
                loggers,
                cancellationToken);
            Volatile.Write(ref _client, created);
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _client, null) is { } client)
        {
            await client.DisposeAsync();
        }

        _gate.Dispose();
    }
}
