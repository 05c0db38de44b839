using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>An approval shows what led to it: the customer's request, the agent path, the conversation, and a replay.</summary>
public sealed class ApprovalContextApiTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";
    private const string RefundKey = "billing/issue_refund#key:refund-INV-1006-CH-8-duplicate";

    [Fact]
    public async Task AnApprovalShowsTheCustomersRequestTheAgentPathAndLinksToTheConversation()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var approvalId = Text((await stream.ReadUntilAsync("approval.pending"))!.Value, "approvalId");

        var listed = Assert.Single((await bob.GetJsonAsync("/api/approvals")).EnumerateArray());
        var one = await bob.GetJsonAsync($"/api/approvals/{approvalId}");
        foreach (var approval in new[] { listed, one })
        {
            Assert.Equal(BigRefund, Text(approval, "request"));
            Assert.Equal(["coordinator", "billing"], approval.GetProperty("agentPath").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(RefundKey, Text(approval, "idempotencyKey"));
            Assert.False(approval.TryGetProperty("replay", out _), "Nothing under this key has completed.");
            var links = approval.GetProperty("links");
            Assert.Equal(new Uri(api.BaseAddress, $"/#audit?conversation={id}").ToString(), Text(links, "conversation"));
            Assert.Equal(new Uri(api.BaseAddress, $"/api/conversations/{id}").ToString(), Text(links, "conversationApi"));
        }

        // The page link opens the conversation; the API link answers the conversation's owner.
        Assert.Equal(id, Text(await alice.GetJsonAsync(Text(one.GetProperty("links"), "conversationApi")), "id"));
    }

    [Fact]
    public async Task ASecondApprovalOfARefundAlreadyPaidSaysTheCallWillBeReplayedNotExecuted()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");

        // The same refund asked twice, in two conversations: both wait, under the same idempotency key.
        var first = await alice.NewConversationAsync();
        var second = await alice.NewConversationAsync();
        await using var firstTurn = await EventStream.SendAsync(alice, first, BigRefund);
        var firstApproval = Text((await firstTurn.ReadUntilAsync("approval.pending"))!.Value, "approvalId");
        await using var secondTurn = await EventStream.SendAsync(alice, second, BigRefund);
        var secondApproval = Text((await secondTurn.ReadUntilAsync("approval.pending"))!.Value, "approvalId");
        Assert.False((await bob.GetJsonAsync($"/api/approvals/{secondApproval}")).TryGetProperty("replay", out _), "Nothing is paid yet.");

        // The first is approved and paid while the second waits: read again, the second says so.
        await bob.PostJsonAsync($"/api/approvals/{firstApproval}/decision", new { approve = true });
        Assert.Contains("Refunded 150.00 USD", Text((await firstTurn.ReadUntilAsync("turn.completed"))!.Value, "text"), StringComparison.Ordinal);
        var waiting = await bob.GetJsonAsync($"/api/approvals/{secondApproval}");
        var replay = waiting.GetProperty("replay");
        Assert.True(replay.GetProperty("sameArguments").GetBoolean());
        var paidAt = replay.GetProperty("completedAt").GetDateTimeOffset();
        Assert.True(paidAt >= waiting.GetProperty("requestedAt").GetDateTimeOffset());
        Assert.StartsWith($"Will be replayed, not executed: the same call (idempotency key '{RefundKey}') already completed at ", Text(replay, "message"), StringComparison.Ordinal);
        var inInbox = Assert.Single((await bob.GetJsonAsync("/api/approvals")).EnumerateArray());
        Assert.Equal(paidAt, inInbox.GetProperty("replay").GetProperty("completedAt").GetDateTimeOffset());

        // Approving it says so too, and the refund is not paid twice.
        var decided = await bob.PostJsonAsync($"/api/approvals/{secondApproval}/decision", new { approve = true });
        Assert.Equal(paidAt, decided.GetProperty("replay").GetProperty("completedAt").GetDateTimeOffset());
        await secondTurn.ReadUntilAsync("turn.completed");
        var completed = Assert.Single(secondTurn.Received, e => Text(e, "type") == "tool.completed" && e.TryGetProperty("tool", out var t) && t.GetString() == "billing/issue_refund");
        Assert.Equal("replayed", Text(completed, "decision"));

        // A decided approval no longer forecasts anything.
        Assert.False((await bob.GetJsonAsync($"/api/approvals/{firstApproval}")).TryGetProperty("replay", out _));
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
