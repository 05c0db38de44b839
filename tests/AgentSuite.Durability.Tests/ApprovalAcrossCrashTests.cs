using System.Text.Json;
using AgentSuite.Durability.Tests.Support;

namespace AgentSuite.Durability.Tests;

/// <summary>
/// A refund waiting for approval (INV-1006, 150.00 over the 100 threshold) while the Api and its plugins are SIGKILLed,
/// then decided after the Api restarted on the same data folder. The mock's call ids are random and the script sends no
/// idempotency key, so only the product's own checkpoint and key can carry the refund across the crash.
/// </summary>
public sealed class ApprovalAcrossCrashTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task ApprovedAfterACrashTheTurnCompletesByItselfAndTheRefundIsPaidOnce()
    {
        using var api = await DurableApi.StartAsync();
        var (conversation, approvalId) = await WaitingForApprovalAcrossACrashAsync(api);
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");

        var decided = await bob.DecideAsync(approvalId, approve: true, comment: "duplicate confirmed");
        var ended = await alice.WaitForTurnToEndAsync(api, conversation);

        Assert.Equal(("approved", "bob"), (decided.Text("status"), decided.Text("decidedBy")));
        var describe = await alice.DescribeAsync(api, conversation);
        Assert.True(ended.GetProperty("turn").Text("status") == "completed", describe);
        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.$", LastReply(ended));
        Assert.Equal((1, 15000), BillingFile.Refunds(api.BillingFile, "INV-1006"));
        var audit = await alice.AuditAsync(conversation);
        Assert.Contains(audit, e => e.Text("kind") == "turn.resumed");
        Assert.Single(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
        Assert.All(audit.Where(e => e.Text("toolCallId").Length > 0), e => Assert.Matches("^call_[0-9a-f]{24}(/call_[0-9a-f]{24})?$", e.Text("toolCallId")));
        await AssertAuditVerifiesAsync(alice);
    }

    [Fact]
    public async Task DeniedAfterACrashTheTurnCompletesSayingSoAndNothingIsPaid()
    {
        using var api = await DurableApi.StartAsync();
        var (conversation, approvalId) = await WaitingForApprovalAcrossACrashAsync(api);
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");

        var decided = await bob.DecideAsync(approvalId, approve: false, comment: "not a duplicate");
        var ended = await alice.WaitForTurnToEndAsync(api, conversation);

        Assert.Equal(("denied", "bob"), (decided.Text("status"), decided.Text("decidedBy")));
        Assert.True(ended.GetProperty("turn").Text("status") == "completed", await alice.DescribeAsync(api, conversation));
        Assert.StartsWith("I did not refund the duplicate charge on INV-1006", LastReply(ended), StringComparison.Ordinal);
        Assert.Equal((0, 0), BillingFile.Refunds(api.BillingFile, "INV-1006"));
        var audit = await alice.AuditAsync(conversation);
        Assert.Contains(audit, e => e.Text("kind") == "turn.resumed");
        Assert.DoesNotContain(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
        await AssertAuditVerifiesAsync(alice);
    }

    /// <summary>
    /// Alice asks for the refund; once its approval is pending, the Api and its plugins are SIGKILLed and the Api is
    /// started again. Asserts the approval is still pending after the restart; returns the conversation and approval.
    /// </summary>
    private static async Task<(string Conversation, string ApprovalId)> WaitingForApprovalAcrossACrashAsync(DurableApi api)
    {
        using var alice = api.Client("alice");
        var conversation = await alice.NewConversationAsync();
        var turn = alice.SendInBackground(conversation, BigRefund);
        var pending = (await Waits.UntilAsync(
            "the refund's approval to be pending",
            async () => await alice.PendingApprovalAsync(conversation) is { } approval ? new Box<JsonElement>(approval) : null,
            () => alice.DescribeAsync(api, conversation))).Value;
        Assert.Equal(("billing/issue_refund", "alice"), (pending.Text("tool"), pending.Text("requestedBy")));
        Assert.Equal(150m, pending.GetProperty("arguments").GetProperty("amount").GetDecimal());
        // The script sends no key, so the refund's key is the one governance supplies, made of this run and this call.
        var key = pending.GetProperty("arguments").Text("idempotency_key");
        Assert.Contains(pending.Text("runId"), key, StringComparison.Ordinal);
        Assert.EndsWith(pending.Text("toolCallId"), key, StringComparison.Ordinal);

        var killed = await api.CrashAndRestartAsync();
        await turn;

        Assert.True(killed >= 3, $"Only {killed} processes were killed; the Api should have had its billing and policy plugins running.\n{api.Output}");
        var after = await alice.PendingApprovalAsync(conversation);
        Assert.True(after is not null, $"The approval is no longer pending after the restart.\n{await alice.DescribeAsync(api, conversation)}");
        Assert.Equal(pending.Text("id"), after.Value.Text("id"));
        Assert.Equal((0, 0), BillingFile.Refunds(api.BillingFile, "INV-1006"));

        // Resumed by itself, the turn waits again for the same approval, and says so to whoever reconnects.
        await Waits.UntilAsync(
            "the resumed turn to wait for the approval again",
            async () => (await alice.ConversationAsync(conversation)).TryGetProperty("turn", out var t) && t.Text("status") == "waiting" && t.Text("approvalId") == pending.Text("id")
                ? new Box<JsonElement>(t)
                : null,
            () => alice.DescribeAsync(api, conversation));
        return (conversation, pending.Text("id"));
    }

    private static string LastReply(JsonElement conversation) =>
        conversation.GetProperty("messages").EnumerateArray().Last(m => m.Text("role") == "assistant").Text("text");

    private static async Task AssertAuditVerifiesAsync(HttpClient client)
    {
        var verification = await client.GetJsonAsync("/api/audit/verify");
        Assert.True(verification.GetProperty("ok").GetBoolean(), verification.GetRawText());
    }
}
