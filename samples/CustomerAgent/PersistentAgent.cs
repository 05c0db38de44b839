using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CustomerAgent;

/// <summary>
/// The customer's agent: asks the coordinator for the INV-1002 refund, then keeps asking, rephrased, every other time in
/// the conversation its first answer named and otherwise in a new one, never with an idempotency key (it is the product's
/// job to pay once). It prints one line per attempt and a summary, and reconnects after a failed call.
/// </summary>
internal sealed class PersistentAgent(CustomerAgentOptions options, TextWriter output) : IAsyncDisposable
{
    private readonly Dictionary<string, int> _tally = new(StringComparer.Ordinal);
    private McpClient? _client;
    private string? _conversation;

    /// <summary>Runs every attempt; returns 1 when the first connection is refused (a wrong address or key), else 0.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _client = await ConnectAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or McpException or TimeoutException)
        {
            await output.WriteLineAsync($"cannot connect to {options.Endpoint}: {e.Message} (check --url and the key)");
            return 1;
        }

        for (var attempt = 1; attempt <= options.Attempts && !cancellationToken.IsCancellationRequested; attempt++)
        {
            var same = attempt % 2 == 0 && _conversation is not null;
            var answer = await AskAsync(Rephrasings.For(attempt), same ? _conversation : null, cancellationToken);
            _conversation ??= answer.ConversationId;
            _tally[answer.Outcome] = _tally.GetValueOrDefault(answer.Outcome) + 1;
            var where = same ? $"same conversation {_conversation}" : "new conversation";
            await output.WriteLineAsync($"attempt {attempt}/{options.Attempts} ({where}): {answer.Outcome} - {answer.Detail}");
            if (attempt < options.Attempts)
            {
                await Task.Delay(options.Spacing, cancellationToken);
            }
        }

        await output.WriteLineAsync($"summary: {_tally.Values.Sum()} attempts: {string.Join(", ", _tally.Select(t => $"{t.Value} {t.Key}"))}");
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }

    private async Task<Answer> AskAsync(string message, string? conversation, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object?> { ["message"] = message, ["wait_seconds"] = options.WaitSeconds };
        if (conversation is not null)
        {
            arguments["conversation_id"] = conversation;
        }

        try
        {
            _client ??= await ConnectAsync(cancellationToken);
            var result = await _client.CallToolAsync("ask_coordinator", arguments, cancellationToken: cancellationToken);
            return Answer.From(string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)), result.IsError == true);
        }
        catch (McpException e)
        {
            return Answer.Error(Answer.Refused, e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            // Start afresh on the next attempt: the refusal may have been the connection's, not the call's.
            await DisposeAsync();
            _client = null;
            return Answer.Error(Answer.Failed, e.Message);
        }
    }

    private async Task<McpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>();
        if (options.Key is { } key)
        {
            headers["X-Api-Key"] = key;
        }
        else
        {
            headers["X-User"] = options.User!;
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = options.Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        return await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }
}
