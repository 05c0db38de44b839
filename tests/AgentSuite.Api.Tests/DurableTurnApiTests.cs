using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AgentSuite.Api.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Api.Tests;

/// <summary>
/// A turn that outlives its Api through the HTTP contract: the Api is stopped (SIGTERM's way) while a refund waits for a
/// person, another starts on the same data folder and resumes the turn; the conversation shows where the turn stands,
/// the customer re-attaches to its events from the last one seen, and the approval decided afterwards pays once.
/// </summary>
public sealed class DurableTurnApiTests
{
    private const string Refund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task TurnWaitingForApprovalSurvivesARestartAndTheCustomerReattachesToItsEvents()
    {
        var api = await ApiServer.StartAsync();
        try
        {
            using var alice = api.Client("alice");
            var id = await alice.NewConversationAsync();
            string approvalId;
            long seen;
            await using (var stream = await EventStream.SendAsync(alice, id, Refund))
            {
                var pending = await stream.ReadUntilAsync("approval.pending");
                approvalId = pending!.Value.GetProperty("approvalId").GetString()!;
                seen = pending.Value.GetProperty("seq").GetInt64();
            }

            var waiting = await alice.GetJsonAsync($"/api/conversations/{id}");
            Assert.Equal("waiting", waiting.GetProperty("turn").GetProperty("status").GetString());
            Assert.Equal(approvalId, waiting.GetProperty("turn").GetProperty("approvalId").GetString());

            api = await api.RestartAsync();
            using var alice2 = api.Client("alice");
            using var bob = api.Client("bob");

            // Re-attach from the last event seen: what follows is the resumption, then the same approval waiting again.
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{id}/turns/current/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            request.Headers.Add("Last-Event-ID", seen.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await using var reattached = await EventStream.OpenAsync(alice2, request);
            var again = await reattached.ReadUntilAsync("approval.pending");
            Assert.Equal(approvalId, again!.Value.GetProperty("approvalId").GetString());
            Assert.All(reattached.Received, e => Assert.True(e.GetProperty("seq").GetInt64() > seen));
            Assert.Contains(reattached.Received, e => e.GetProperty("type").GetString() == "turn.resumed");

            var decided = await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "duplicate confirmed" });
            Assert.Equal("approved", decided.GetProperty("status").GetString());
            var completed = await reattached.ReadUntilAsync("turn.completed");
            Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006", completed!.Value.GetProperty("text").GetString());

            var conversation = await alice2.GetJsonAsync($"/api/conversations/{id}");
            Assert.Equal("completed", conversation.GetProperty("turn").GetProperty("status").GetString());
            Assert.Equal(["user", "assistant"], conversation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
            Assert.Equal(1, RefundsPaid(api.DataFolder, "INV-1006"));

            // After the turn, the trail is still there in order: the first process's events, the resumption, the rest.
            var trail = await alice2.GetJsonAsync($"/api/conversations/{id}/turns/current/events");
            var seqs = trail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(seqs.Order(), seqs);
            Assert.Equal("agent.started", trail.GetProperty("events")[0].GetProperty("type").GetString());
            Assert.Equal("turn.completed", trail.GetProperty("events").EnumerateArray().Last().GetProperty("type").GetString());
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReattachingNeedsATurnAndAReadableEventNumber()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var none = await alice.GetAsync($"/api/conversations/{id}/turns/current/events"))
        {
            await none.ProblemAsync(HttpStatusCode.NotFound, "has no turn yet");
        }

        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        var count = turn.GetProperty("events").GetArrayLength();

        using (var bad = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{id}/turns/current/events"))
        {
            bad.Headers.Add("Last-Event-ID", "yesterday");
            using var response = await alice.SendAsync(bad);
            await response.ProblemAsync(HttpStatusCode.BadRequest, "is not an event number");
        }

        var tail = await alice.GetJsonAsync($"/api/conversations/{id}/turns/current/events?lastEventId={count - 2}");
        Assert.Equal(2, tail.GetProperty("events").GetArrayLength());
        Assert.Equal("completed", tail.GetProperty("status").GetString());
    }

    private static long RefundsPaid(string dataFolder, string invoice)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "billing.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM refunds WHERE invoice_id = $invoice";
        command.Parameters.AddWithValue("$invoice", invoice);
        return (long)command.ExecuteScalar()!;
    }
}
