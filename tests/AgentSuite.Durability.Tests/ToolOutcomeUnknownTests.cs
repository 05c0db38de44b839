using System.Text.Json;
using AgentSuite.Durability.Tests.Support;

namespace AgentSuite.Durability.Tests;

/// <summary>
/// The Api SIGKILLed after a refund took effect but before its outcome was recorded: billing is a test-only MCP server
/// whose issue_refund commits the refund to its own SQLite file and never answers. The refund (49.00, under the
/// approval threshold) has no idempotency key of its own, so nothing but governance stands between it and a second payment.
/// </summary>
public sealed class ToolOutcomeUnknownTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";

    [Fact]
    public async Task KilledAfterTheRefundRanButBeforeItsOutcomeWasRecordedItIsNeverPaidTwiceAndEveryoneIsToldTheOutcomeIsUnknown()
    {
        var folder = DurableApi.NewDataFolder();
        var billingFile = Path.Combine(folder, CommitThenHangSettings.BillingFileName);
        using var api = await DurableApi.StartAsync(CommitThenHangSettings.For(folder), folder);
        using var alice = api.Client("alice");
        var conversation = await alice.NewConversationAsync();
        var turn = alice.SendInBackground(conversation, Refund);
        await Waits.UntilAsync(
            "the test server to commit the refund",
            () => Task.FromResult(BillingFile.Refunds(billingFile, "INV-1002").Count > 0 ? new Box<bool>(true) : null),
            () => alice.DescribeAsync(api, conversation));

        await api.CrashAndRestartAsync();
        await turn;
        var ended = await alice.WaitForTurnToEndAsync(api, conversation);

        var describe = await alice.DescribeAsync(api, conversation);
        Assert.Equal((1, 4900), BillingFile.Refunds(billingFile, "INV-1002"));
        Assert.True(ended.GetProperty("turn").Text("status") == "completed", describe);
        var reply = LastReply(ended);
        Assert.StartsWith("I did not refund the duplicate charge on INV-1002", reply, StringComparison.Ordinal);
        Assert.Contains("outcome unknown", reply, StringComparison.OrdinalIgnoreCase);
        var audit = await alice.AuditAsync(conversation);
        Assert.Contains(audit, e => e.Text("kind") == "turn.resumed");
        Assert.Contains(audit, e => e.Text("tool") == "billing/issue_refund" && e.GetRawText().Contains("outcome unknown", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
        var verification = await alice.GetJsonAsync("/api/audit/verify");
        Assert.True(verification.GetProperty("ok").GetBoolean(), verification.GetRawText());
    }

    private static string LastReply(JsonElement conversation) =>
        conversation.GetProperty("messages").EnumerateArray().Last(m => m.Text("role") == "assistant").Text("text");
}
