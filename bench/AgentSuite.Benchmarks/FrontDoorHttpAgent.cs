using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The baseline: the same external agent's fresh requests through the Api's HTTP API with its key, a new conversation
/// (<c>POST /api/conversations</c>) and one turn (<c>POST /api/conversations/{id}/messages</c>, JSON answer) per request,
/// both timed, as <c>ask_coordinator</c> makes both.
/// </summary>
internal sealed class FrontDoorHttpAgent(HttpClient http, string apiKey, int index) : IFrontDoorAgent
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private int _sequence;

    public async Task RunAsync(string phase, FrontDoorMix mix, Func<bool> another, FrontDoorTally tally, RefundBook book)
    {
        if (mix != FrontDoorMix.Fresh)
        {
            throw new ArgumentException("The HTTP API has no idempotency keys; the baseline sends fresh requests only.", nameof(mix));
        }

        while (another())
        {
            var n = _sequence++;
            await AskAsync("lookup", FrontDoorMessages.Lookup(n), null, tally, book);
            if (!another())
            {
                return;
            }

            var request = $"{phase}-{index:D2}-{_sequence++}";
            await AskAsync("refund", FrontDoorMessages.Refund(request), request, tally, book);
        }
    }

    private async Task AskAsync(string kind, string message, string? refundRequest, FrontDoorTally tally, RefundBook book)
    {
        var start = Stopwatch.GetTimestamp();
        FrontDoorOutcome outcome;
        try
        {
            using var create = Request(HttpMethod.Post, "api/conversations", null);
            using var created = await http.SendAsync(create);
            if (created.StatusCode != HttpStatusCode.Created || created.Headers.Location is not { } location)
            {
                outcome = FrontDoorOutcome.Error($"POST /api/conversations answered {(int)created.StatusCode}");
            }
            else
            {
                var id = location.OriginalString[(location.OriginalString.LastIndexOf('/') + 1)..];
                using var send = Request(HttpMethod.Post, $"api/conversations/{id}/messages", JsonSerializer.SerializeToUtf8Bytes(new { text = message }));
                using var response = await http.SendAsync(send);
                var body = await response.Content.ReadAsStringAsync();
                outcome = response.StatusCode == HttpStatusCode.OK
                    ? FrontDoorAnswers.Classify(ReplyOf(body), isError: false, refundRequest)
                    : FrontDoorOutcome.Error($"POST messages answered {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or JsonException)
        {
            outcome = FrontDoorOutcome.Error($"{e.GetType().Name}: {e.Message}");
        }

        tally.Record(kind, Stopwatch.GetTimestamp() - start, outcome);
        if (outcome.RefundId is { } refundId && !book.Note(refundRequest!, refundId))
        {
            tally.RecordError("one request was answered with two refund ids");
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, byte[]? json)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", apiKey);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = Json;
        }

        return request;
    }

    private static string ReplyOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("reply").GetString() ?? "";
    }
}
