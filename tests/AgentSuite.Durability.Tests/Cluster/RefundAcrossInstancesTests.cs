using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Durability.Tests.Cluster.Support;
using AgentSuite.Durability.Tests.Support;
using static AgentSuite.Durability.Tests.Cluster.Support.ClusterCallers;

namespace AgentSuite.Durability.Tests.Cluster;

/// <summary>
/// The refund of 150.00 on INV-1006 (over the 100.00 threshold, so it waits for a second person) across two real Api
/// processes on one PostgreSQL: asked on A, decided on B, with A alive or SIGKILLed. The script sends no idempotency key,
/// so "paid once" rests on governance's own key and the billing server's one data file shows what was really paid.
/// </summary>
public sealed class RefundAcrossInstancesTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task RefundRequestedOnAAndApprovedOnBIsPaidOnceAndAuditedOnceThroughEither()
    {
        using var run = await TwoInstances.StartAsync();
        using var alice = run.A.As(Alice);
        using var bob = run.B.As(Bob);
        var (conversation, approvalId) = await WaitingForApprovalAsync(run, alice, bob);

        var decided = await bob.DecideAsync(approvalId, approve: true, comment: "duplicate confirmed");
        var ended = await alice.WaitForTurnToEndAsync(run.A, conversation);

        Assert.Equal(("approved", "bob"), (decided.Text("status"), decided.Text("decidedBy")));
        Assert.True(ended.GetProperty("turn").Text("status") == "completed", run.Describe());
        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.$", LastReply(ended));
        Assert.Equal((1, 15000), BillingFile.Refunds(run.Plugins.BillingFile, "INV-1006"));
        foreach (var instance in new[] { run.A, run.B })
        {
            using var root = instance.As(Root);
            var audit = await root.AuditAsync(conversation);
            Assert.Single(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
            Assert.Contains(audit, e => e.Text("kind") == "approval.resolved" && e.Text("decision") == "approved" && e.Text("principal") == "bob");
            await AssertAuditVerifiesAsync(root);
        }
    }

    [Fact]
    public async Task AMessageSentToBWhileARunsTheConversationsTurnGets409()
    {
        using var run = await TwoInstances.StartAsync();
        using var aliceOnA = run.A.As(Alice);
        using var aliceOnB = run.B.As(Alice);
        using var bob = run.B.As(Bob);
        var (conversation, approvalId) = await WaitingForApprovalAsync(run, aliceOnA, bob);

        using (var second = await aliceOnB.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "What is on invoice INV-1003?" }))
        {
            var body = await second.Content.ReadAsStringAsync();
            Assert.True(second.StatusCode == HttpStatusCode.Conflict, $"Expected 409 from B, got {(int)second.StatusCode}: {body}\n{run.Describe()}");
            Assert.Contains("is in the middle of a turn", body, StringComparison.Ordinal);
        }

        // The turn on A is untouched by B's refusal: denied, it ends there, with nothing paid.
        await bob.DecideAsync(approvalId, approve: false, comment: "not a duplicate");
        var ended = await aliceOnA.WaitForTurnToEndAsync(run.A, conversation);
        Assert.StartsWith("I did not refund the duplicate charge on INV-1006", LastReply(ended), StringComparison.Ordinal);
        Assert.Equal((0, 0), BillingFile.Refunds(run.Plugins.BillingFile, "INV-1006"));
        Assert.Equal(2, ended.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task AKilledWhileItsTurnWaitsForApprovalIsResumedByBOnceApprovedAndPaidOnce()
    {
        using var run = await TwoInstances.StartAsync();
        using var aliceOnA = run.A.As(Alice);
        using var aliceOnB = run.B.As(Alice);
        using var bob = run.B.As(Bob);
        var (conversation, approvalId) = await WaitingForApprovalAsync(run, aliceOnA, bob);

        run.A.Kill();
        var decided = await bob.DecideAsync(approvalId, approve: true, comment: "duplicate confirmed");
        var ended = await aliceOnB.WaitForTurnToEndAsync(run.B, conversation);

        Assert.Equal("approved", decided.Text("status"));
        Assert.True(ended.GetProperty("turn").Text("status") == "completed", $"{ended}\n{run.Describe()}");
        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.$", LastReply(ended));
        Assert.Equal((1, 15000), BillingFile.Refunds(run.Plugins.BillingFile, "INV-1006"));
        using var root = run.B.As(Root);
        var audit = await root.AuditAsync(conversation);
        Assert.Contains(audit, e => e.Text("kind") == "turn.resumed");
        Assert.Single(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
        await AssertAuditVerifiesAsync(root);
    }

    /// <summary>
    /// Alice asks for the refund on <paramref name="requester"/>'s instance; returns once its approval is pending as bob
    /// sees it on his instance (checked: the refund's tool, alice as the requester, 150.00, nothing paid yet).
    /// </summary>
    private static async Task<(string Conversation, string ApprovalId)> WaitingForApprovalAsync(TwoInstances run, HttpClient requester, HttpClient approver)
    {
        var conversation = await requester.NewConversationAsync();
        _ = requester.SendInBackground(conversation, BigRefund);
        var pending = (await Waits.UntilAsync(
            "the refund's approval to be pending, as the approver's instance sees it",
            async () => await approver.PendingApprovalAsync(conversation) is { } approval ? new Box<JsonElement>(approval) : null,
            () => Task.FromResult(run.Describe()))).Value;
        Assert.Equal(("billing/issue_refund", "alice"), (pending.Text("tool"), pending.Text("requestedBy")));
        Assert.Equal(150m, pending.GetProperty("arguments").GetProperty("amount").GetDecimal());
        Assert.Equal((0, 0), BillingFile.Refunds(run.Plugins.BillingFile, "INV-1006"));
        return (conversation, pending.Text("id"));
    }

    private static string LastReply(JsonElement conversation) =>
        conversation.GetProperty("messages").EnumerateArray().Last(m => m.Text("role") == "assistant").Text("text");

    private static async Task AssertAuditVerifiesAsync(HttpClient admin)
    {
        var verification = await admin.GetJsonAsync("/api/audit/verify");
        Assert.True(verification.GetProperty("ok").GetBoolean(), verification.GetRawText());
    }
}
