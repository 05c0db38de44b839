using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>A refund above the threshold through the HTTP API: the stream waits, another person decides, the stream goes on.</summary>
public sealed class ApprovalFlowApiTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task TurnWaitingForApprovalStreamsEventsInOrderAndCompletesWhenAnotherPersonApproves()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var pending = (await stream.ReadUntilAsync("approval.pending"))!.Value;
        var approvalId = pending.GetProperty("approvalId").GetString()!;

        // The inbox shows the exact call; the conversation refuses another message meanwhile.
        var inbox = (await bob.GetJsonAsync("/api/approvals?status=pending")).EnumerateArray().ToList();
        var item = Assert.Single(inbox);
        Assert.Equal((approvalId, id, "billing", "billing/issue_refund", "alice", "pending"), (Text(item, "id"), Text(item, "conversationId"), Text(item, "agent"), Text(item, "tool"), Text(item, "requestedBy"), Text(item, "status")));
        Assert.Equal(150m, item.GetProperty("arguments").GetProperty("amount").GetDecimal());
        Assert.Equal("Refunds above 100 need a second person.", Text(item, "reason"));
        using (var busy = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "hello?" }))
        {
            await busy.ProblemAsync(HttpStatusCode.Conflict, "is in the middle of a turn");
        }

        // Separation of duties by name, even in demo mode where everyone holds every role.
        using (var self = await alice.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "mine" }))
        {
            await self.ProblemAsync(HttpStatusCode.Forbidden, "'alice' asked for this call and cannot also approve it");
        }

        var decided = await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "duplicate confirmed" });
        Assert.Equal(("approved", "bob", "duplicate confirmed"), (Text(decided, "status"), Text(decided, "decidedBy"), Text(decided, "comment")));
        var completed = (await stream.ReadUntilAsync("turn.completed"))!.Value;

        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.$", Text(completed, "text"));
        var refund = stream.Received.Where(e => e.TryGetProperty("tool", out var t) && t.GetString() == "billing/issue_refund").Select(e => Text(e, "type")).ToList();
        Assert.Equal(["tool.requested", "approval.pending", "approval.resolved", "tool.decision", "tool.completed"], refund);
        var types = stream.Received.Select(e => Text(e, "type")).ToList();
        Assert.Equal("agent.started", types[0]);
        Assert.Equal("turn.completed", types[^1]);
        Assert.True(types.IndexOf("message.completed") < types.LastIndexOf("turn.completed"));
        Assert.Equal(Enumerable.Range(1, stream.Received.Count), stream.Received.Select(e => e.GetProperty("seq").GetInt32()));

        using (var again = await bob.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = false, comment = "changed my mind" }))
        {
            await again.ProblemAsync(HttpStatusCode.Conflict, "already");
        }

        Assert.Empty((await bob.GetJsonAsync("/api/approvals")).EnumerateArray());
    }

    [Fact]
    public async Task ClosingTheStreamMidTurnLosesNothingTheTurnFinishesAndIsStored()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        var id = await alice.NewConversationAsync();

        string approvalId;
        await using (var stream = await EventStream.SendAsync(alice, id, BigRefund))
        {
            approvalId = Text((await stream.ReadUntilAsync("approval.pending"))!.Value, "approvalId");
        }

        // The browser is gone; the approver still decides, and the turn's outcome lands in the conversation and the audit.
        await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = false, comment = "not a duplicate" });
        JsonElement[] messages = [];
        for (var attempt = 0; attempt < 100 && messages.Length < 2; attempt++)
        {
            await Task.Delay(100);
            messages = [.. (await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("messages").EnumerateArray()];
        }

        Assert.Equal(2, messages.Length);
        Assert.Contains("denied by bob: not a duplicate", Text(messages[1], "text"), StringComparison.Ordinal);
        var audit = (await alice.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray().ToList();
        Assert.Contains(audit, e => Text(e, "kind") == "approval.resolved" && Text(e, "decision") == "denied" && Text(e, "principal") == "bob");
        Assert.Contains(audit, e => Text(e, "kind") == "tool.decision" && Text(e, "tool") == "billing/issue_refund" && Text(e, "decision") == "denied");
    }

    [Fact]
    public async Task DecisionErrorsAreProblemDetails()
    {
        await using var api = await ApiServer.StartAsync();
        using var bob = api.Client("bob");

        using (var r = await bob.PostAsJsonAsync("/api/approvals/apr_nope/decision", new { approve = true }))
        {
            await r.ProblemAsync(HttpStatusCode.NotFound, "No approval request 'apr_nope' exists.");
        }

        using (var r = await bob.PostAsJsonAsync("/api/approvals/apr_nope/decision", new { comment = "which way?" }))
        {
            await r.ProblemAsync(HttpStatusCode.BadRequest, "Say whether to approve");
        }

        using (var r = await bob.GetAsync("/api/approvals?status=maybe"))
        {
            await r.ProblemAsync(HttpStatusCode.BadRequest, "'maybe' is not an approval status");
        }
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
