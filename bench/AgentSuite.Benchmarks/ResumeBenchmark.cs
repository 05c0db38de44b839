using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Turns resumed at start: the Api (in this process, on a fresh data folder) gets <c>turns</c> conversations, each
/// asking for the 150.00 INV-1006 refund, which waits for a person; once all wait, the Api is stopped as a host stops it
/// (their turns stay unfinished) and another starts on the same folder. Timed from that start until every turn has been
/// resumed and waits on its approval again (its trail shows <c>turn.resumed</c> and then <c>approval.pending</c>), read
/// through <c>GET /api/conversations/{id}/turns/current/events</c>. Then every approval is decided and every turn must
/// complete with the refund paid once.
/// </summary>
internal sealed class ResumeBenchmark(int turns)
{
    private const string Message = "I was charged twice on INV-1006, please refund it";

    public async Task<ResumeResult> RunAsync(string dataFolder)
    {
        var ids = new List<string>();
        var suspend = Stopwatch.StartNew();
        await using (var first = await InProcessApi.StartAsync(dataFolder, limitsOff: true))
        {
            using var alice = Client(first.BaseAddress, "alice");
            for (var i = 0; i < turns; i++)
            {
                ids.Add(await StartWaitingTurnAsync(alice));
            }
        }

        suspend.Stop();
        var resume = Stopwatch.StartNew();
        await using var second = await InProcessApi.StartAsync(dataFolder, limitsOff: true);
        var ready = resume.Elapsed;
        using var client = Client(second.BaseAddress, "alice");
        using var bob = Client(second.BaseAddress, "bob");
        var waiting = new HashSet<string>(ids, StringComparer.Ordinal);
        var approvals = new Dictionary<string, string>(StringComparer.Ordinal);
        while (waiting.Count > 0)
        {
            if (resume.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException($"{waiting.Count} of {turns} turns were not resumed within 5 minutes.");
            }

            foreach (var id in waiting.ToList())
            {
                var trail = await client.GetFromJsonAsync<JsonElement>($"api/conversations/{id}/turns/current/events");
                var types = trail.GetProperty("events").EnumerateArray().Select(e => (Type: e.GetProperty("type").GetString(), Approval: e.TryGetProperty("approvalId", out var a) ? a.GetString() : null)).ToList();
                var resumedAt = types.FindIndex(t => t.Type == "turn.resumed");
                if (resumedAt >= 0 && types.Skip(resumedAt).FirstOrDefault(t => t.Type == "approval.pending") is { Approval: { } approval })
                {
                    approvals[id] = approval;
                    waiting.Remove(id);
                }
            }

            if (waiting.Count > 0)
            {
                await Task.Delay(20);
            }
        }

        var allResumed = resume.Elapsed;
        foreach (var approval in approvals.Values)
        {
            using var decided = await bob.PostAsJsonAsync($"api/approvals/{approval}/decision", new { approve = true, comment = "benchmark" });
            decided.EnsureSuccessStatusCode();
        }

        foreach (var id in ids)
        {
            while (true)
            {
                var conversation = await client.GetFromJsonAsync<JsonElement>($"api/conversations/{id}");
                var status = conversation.GetProperty("turn").GetProperty("status").GetString();
                if (status == "completed")
                {
                    break;
                }

                if (status is "failed" or "abandoned" || resume.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new InvalidOperationException($"The resumed turn of {id} ended as {status}.");
                }

                await Task.Delay(20);
            }
        }

        return new ResumeResult(turns, suspend.Elapsed, ready, allResumed, resume.Elapsed);
    }

    private static HttpClient Client(Uri baseAddress, string user)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-User", user);
        return client;
    }

    /// <summary>Sends the refund with an event stream and returns once it waits for approval; the turn goes on without the reader.</summary>
    private static async Task<string> StartWaitingTurnAsync(HttpClient alice)
    {
        using var created = await alice.PostAsJsonAsync("api/conversations", new { });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages") { Content = JsonContent.Create(new { text = Message }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await alice.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line == "event: approval.pending")
            {
                return id;
            }
        }

        throw new InvalidOperationException($"The refund turn of {id} ended without waiting for approval.");
    }
}

/// <summary>How long <see cref="ResumeBenchmark"/> took: to suspend the turns, to start again, to resume them all, to finish them all.</summary>
internal sealed record ResumeResult(int Turns, TimeSpan Suspend, TimeSpan Ready, TimeSpan AllResumed, TimeSpan AllCompleted);
