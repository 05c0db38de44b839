using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Mcp;

/// <summary>
/// One configured server. Connects on first use and again whenever the session has ended (a stdio server process
/// that died, an HTTP session that was dropped), so a crashed plugin costs one failed call, not the conversation.
/// Every call has a timeout; a call that times out or loses its transport has an unknown outcome.
/// </summary>
public sealed class McpConnection(string server, McpServerConnectionOptions options, McpOptions settings, IMcpTransportFactory transports, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = loggers.CreateLogger<McpConnection>();
    private McpClient? _client;
    private int _connects;
    private int _disposed;

    public string Server => server;

    /// <summary>Whether a session is held (perhaps one that has ended); false before the first connection and while reconnecting.</summary>
    public bool HasSession => Volatile.Read(ref _client) is not null;

    /// <summary>How many sessions have been opened; a change means the server was reconnected.</summary>
    public int Connects => Volatile.Read(ref _connects);

    public async Task<IList<McpClientTool>> ListToolsAsync(CancellationToken cancellationToken = default)
    {
        var (client, _) = await GetClientAsync(cancellationToken);
        return await client.ListToolsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Calls a tool. <paramref name="beforeCall"/> runs first on the very session the call will use (with that
    /// session's number), so a check made after a reconnect cannot be skipped by a second reconnect in between.
    /// </summary>
    public async Task<object?> CallToolAsync(string tool, IReadOnlyDictionary<string, object?> arguments, Func<McpClient, int, CancellationToken, Task>? beforeCall = null, CancellationToken cancellationToken = default)
    {
        var (client, session) = await GetClientAsync(cancellationToken);
        if (beforeCall is not null)
        {
            await beforeCall(client, session, cancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CallTimeout);
        CallToolResult result;
        try
        {
            result = await client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new ToolOutcomeUnknownException($"'{server}/{tool}' did not answer within {settings.CallTimeout.TotalSeconds:0.#} s; it may or may not have run.", ex);
        }
        catch (McpException)
        {
            // The server answered with a protocol error (unknown tool, invalid parameters): the call did not run.
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "MCP server {Server} was lost during {Tool}", server, tool);

            // The SDK may not have noticed the session ended (a killed stdio process); retire it so the next call reconnects.
            await RetireAsync(client);
            throw new ToolOutcomeUnknownException($"The connection to MCP server '{server}' was lost during '{tool}'; it may or may not have run. The next call reconnects.", ex);
        }

        return result.IsError == true
            ? throw new McpException(Text(result) ?? $"'{server}/{tool}' reported an error without a message.")
            : Result(result);
    }

    /// <summary>
    /// Whether the server answers now, checked on the open session without connecting or reconnecting: a session that
    /// has ended (a stdio process that exited, with its exit code) does not answer, and an open one must list its tools
    /// within <paramref name="timeout"/>. Null when it answers; otherwise why not.
    /// </summary>
    public async Task<string?> CheckLivenessAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var client = _client;
        if (client is null)
        {
            return "not connected; the next call to one of its tools connects";
        }

        if (client.Completion.IsCompleted)
        {
            return await EndedAsync(client);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // Not ping: protocol 2026-07-28 has none (a stdio server answers method-not-found, an HTTP one 404); every version lists tools.
            await client.ListToolsAsync(cancellationToken: deadline.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return client.Completion.IsCompleted ? await EndedAsync(client) : $"did not answer within {timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A request that failed because the process died: the session's end, with the exit code, follows at once.
            await Task.WhenAny(client.Completion, Task.Delay(timeout, cancellationToken));
            return client.Completion.IsCompleted ? await EndedAsync(client) : $"it did not answer: {ex.Message.Split('\n')[0]}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            if (_client is not null)
            {
                await _client.DisposeAsync();
                _client = null;
            }
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private async Task<(McpClient Client, int Session)> GetClientAsync(CancellationToken cancellationToken)
    {
        var client = _client;
        var session = Connects;
        if (client is not null && !client.Completion.IsCompleted)
        {
            return (client, session);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is { } current && !current.Completion.IsCompleted)
            {
                return (current, Connects);
            }

            if (_client is not null)
            {
                _logger.LogWarning("MCP server {Server} session ended; reconnecting", server);
                await DisposeQuietlyAsync(_client);
                _client = null;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.ConnectTimeout);

            // The session's background work (its reader, server notifications, their logs) outlives the call that happens
            // to connect it, so it must not inherit that call's trace: connecting is a trace of its own.
            Activity.Current = null;
            try
            {
                _client = await McpClient.CreateAsync(
                    transports.Create(server, options),
                    new McpClientOptions { ClientInfo = new Implementation { Name = "AgentSuite", Version = "1.0" } },
                    loggers,
                    timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new McpConnectionException($"MCP server '{server}' did not finish connecting within {settings.ConnectTimeout.TotalSeconds:0.#} s.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new McpConnectionException($"Cannot connect to MCP server '{server}': {ex.Message}", ex);
            }

            return (_client, Interlocked.Increment(ref _connects));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RetireAsync(McpClient client)
    {
        await _gate.WaitAsync();
        try
        {
            if (ReferenceEquals(_client, client))
            {
                _client = null;
                await DisposeQuietlyAsync(client);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DisposeQuietlyAsync(McpClient client)
    {
        try
        {
            await client.DisposeAsync();
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Disposing the ended session of {Server}", server);
        }
    }

    private static async Task<string> EndedAsync(McpClient client)
    {
        var details = await client.Completion;
        var why = details is StdioClientCompletionDetails { ExitCode: { } code } ? $"its process exited with code {code}" : $"its session ended{(details.Exception is { } ex ? ": " + ex.Message : "")}";
        return why + "; the next call to one of its tools reconnects";
    }

    private static string? Text(CallToolResult result)
    {
        var texts = result.Content.OfType<TextContentBlock>().Select(t => t.Text).ToList();
        return texts.Count == 0 ? null : string.Join("\n", texts);
    }

    /// <summary>Structured content when the server gives it; else the text (as JSON when it is JSON); else the blocks.</summary>
    private static object? Result(CallToolResult result)
    {
        if (result.StructuredContent is { } structured)
        {
            return structured;
        }

        if (Text(result) is { } text)
        {
            var trimmed = text.AsSpan().TrimStart();
            if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
            {
                try
                {
                    return JsonSerializer.Deserialize<JsonElement>(text);
                }
                catch (JsonException)
                {
                    // Text that merely starts like JSON stays text.
                }
            }

            return text;
        }

        return JsonSerializer.SerializeToElement(result.Content, McpJsonUtilities.DefaultOptions);
    }
}
