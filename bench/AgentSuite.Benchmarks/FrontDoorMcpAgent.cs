using System.Diagnostics;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Benchmarks;

/// <summary>
/// An external agent at the front door: the official MCP client over Streamable HTTP with its own API key, calling
/// <c>ask_coordinator</c> one request after another (two at once for a concurrent retry).
/// </summary>
internal sealed class FrontDoorMcpAgent : IFrontDoorAgent, IAsyncDisposable
{
    /// <summary>Long enough that every call answers the turn's outcome; a shorter wait would be counted as a refusal.</summary>
    private const int WaitSeconds = 60;

    private readonly McpClient _client;
    private readonly int _index;
    private int _sequence;

    private FrontDoorMcpAgent(McpClient client, int index)
    {
        _client = client;
        _index = index;
    }

    public static async Task<FrontDoorMcpAgent> ConnectAsync(Uri baseAddress, string apiKey, int index)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(baseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["X-Api-Key"] = apiKey },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return new FrontDoorMcpAgent(await McpClient.CreateAsync(transport, cancellationToken: timeout.Token), index);
    }

    public async Task RunAsync(string phase, FrontDoorMix mix, Func<bool> another, FrontDoorTally tally, RefundBook book)
    {
        var steps = mix == FrontDoorMix.Fresh ? FreshSteps(phase, tally, book) : PersistentSteps(phase, tally, book);
        foreach (var step in steps)
        {
            if (!another())
            {
                return;
            }

            await step();
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>Lookups and refunds in turn, each a new request without a key.</summary>
    private IEnumerable<Func<Task>> FreshSteps(string phase, FrontDoorTally tally, RefundBook book)
    {
        while (true)
        {
            var n = _sequence++;
            yield return () => AskAsync("lookup", FrontDoorMessages.Lookup(n), null, null, tally, book);
            var request = RequestId(phase);
            yield return () => AskAsync("refund", FrontDoorMessages.Refund(request), null, request, tally, book);
        }
    }

    /// <summary>A persistent agent's cycle of seven steps, eight calls; each retry must answer exactly what the first call did.</summary>
    private IEnumerable<Func<Task>> PersistentSteps(string phase, FrontDoorTally tally, RefundBook book)
    {
        while (true)
        {
            var n = _sequence++;
            yield return () => AskAsync("lookup", FrontDoorMessages.Lookup(n), null, null, tally, book);

            var keyed = RequestId(phase);
            string? first = null;
            yield return async () => first = await AskAsync("refund, keyed", FrontDoorMessages.Refund(keyed), "key-" + keyed, keyed, tally, book);
            yield return async () =>
            {
                var again = await AskAsync("retry of the key", FrontDoorMessages.Refund(keyed), "key-" + keyed, keyed, tally, book);
                Same(first, again, "a retry of a key answered otherwise than its first call", tally);
            };

            yield return () => AskAsync("lookup, keyed", FrontDoorMessages.Lookup(n + 1), "key-" + RequestId(phase), null, tally, book);

            var unkeyed = RequestId(phase);
            yield return () => AskAsync("refund", FrontDoorMessages.Refund(unkeyed), null, unkeyed, tally, book);

            var pair = RequestId(phase);
            yield return async () =>
            {
                var both = await Task.WhenAll(
                    AskAsync("refund, keyed", FrontDoorMessages.Refund(pair), "key-" + pair, pair, tally, book),
                    AskAsync("retry of the key, at once", FrontDoorMessages.Refund(pair), "key-" + pair, pair, tally, book));
                Same(both[0], both[1], "two calls with one key at once answered differently", tally);
            };

            // Deliberate misuse: the first refund's key with another message must be refused, not answered.
            yield return () => AskAsync("key reused for another message", FrontDoorMessages.Lookup(n), "key-" + keyed, null, tally, book, expectRefusal: true);
        }
    }

    private async Task<string> AskAsync(string kind, string message, string? key, string? refundRequest, FrontDoorTally tally, RefundBook book, bool expectRefusal = false)
    {
        var arguments = new Dictionary<string, object?> { ["message"] = message, ["wait_seconds"] = WaitSeconds };
        if (key is not null)
        {
            arguments["idempotency_key"] = key;
        }

        var start = Stopwatch.GetTimestamp();
        string text;
        FrontDoorOutcome outcome;
        try
        {
            var result = await _client.CallToolAsync("ask_coordinator", arguments);
            text = string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));
            outcome = FrontDoorAnswers.Classify(text, result.IsError == true, refundRequest);
        }
        catch (McpException e)
        {
            text = e.Message;
            outcome = FrontDoorAnswers.Classify(text, isError: true, refundRequest);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
        {
            text = e.Message;
            outcome = FrontDoorOutcome.Error($"{e.GetType().Name}: {e.Message}");
        }

        var ticks = Stopwatch.GetTimestamp() - start;
        if (expectRefusal && outcome.Kind != FrontDoorOutcomeKind.Refused)
        {
            outcome = FrontDoorOutcome.Error("a key reused for another message was not refused: " + text);
        }

        tally.Record(kind, ticks, outcome);
        if (outcome.RefundId is { } refundId && !book.Note(refundRequest!, refundId))
        {
            tally.RecordError("one request was answered with two refund ids");
        }

        return text;
    }

    private static void Same(string? first, string again, string problem, FrontDoorTally tally)
    {
        if (!string.Equals(first, again, StringComparison.Ordinal))
        {
            tally.RecordError(problem);
        }
    }

    private string RequestId(string phase) => $"{phase}-{_index:D2}-{_sequence++}";
}
