using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>An approval shows what led to it: the customer's request, the agent path, the conversation, and a replay.</summary>
public sealed class ApprovalContextApiTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";
    private const string CarolKey = "carol-key-0123456789";
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
            Assert.Equal(new Uri(api.BaseAddress, $"/#approvals?conversation={id}").ToString(), Text(links, "conversation"));
            Assert.Equal(new Uri(api.BaseAddress, $"/api/conversations/{id}").ToString(), Text(links, "conversationApi"));
        }
    }

    [Fact]
    public async Task AnApproverWhoIsNeitherOwnerNorAdminReadsAConversationHoldingAnApprovalAndNoOther()
    {
        var settings = DeskKeys.Settings();
        settings["Auth:Keys:3:Key"] = CarolKey;
        settings["Auth:Keys:3:Name"] = "carol";
        settings["Auth:Keys:3:Roles:0"] = "user";
        await using var api = await ApiServer.StartAsync(settings);
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        using var bob = api.ClientWithKey(DeskKeys.Bob);
        using var carol = api.ClientWithKey(CarolKey);
        var id = await alice.NewConversationAsync();
        var without = await alice.NewConversationAsync();
        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var approvalId = Text((await stream.ReadUntilAsync("approval.pending"))!.Value, "approvalId");

        // Bob (user and approver) follows the approval's link to the conversation, and to its turn's events.
        var links = (await bob.GetJsonAsync($"/api/approvals/{approvalId}")).GetProperty("links");
        var read = await bob.GetJsonAsync(Text(links, "conversationApi"));
        Assert.Equal((id, "alice"), (Text(read, "id"), Text(read, "createdBy")));
        Assert.Contains(read.GetProperty("messages").EnumerateArray(), m => Text(m, "role") == "user" && Text(m, "text") == BigRefund);
        var events = await bob.GetJsonAsync($"/api/conversations/{id}/turns/current/events");
        Assert.Contains(events.GetProperty("events").EnumerateArray(), e => Text(e, "type") == "approval.pending");

        // Reading is all: he cannot write in it, nor read a conversation holding no approval; carol, no approver, reads neither.
        using (var send = await bob.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "approve it yourself" }))
        {
            await send.ProblemAsync(HttpStatusCode.Forbidden, "belongs to another user");
        }

        using (var other = await bob.GetAsync($"/api/conversations/{without}"))
        {
            await other.ProblemAsync(HttpStatusCode.Forbidden, "holds no approval request");
        }

        using (var stranger = await carol.GetAsync($"/api/conversations/{id}"))
        {
            await stranger.ProblemAsync(HttpStatusCode.Forbidden, "belongs to another user");
        }

        // Once decided the approval still stands on the record, and so does the approver's reason to read.
        await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true });
        await stream.ReadUntilAsync("turn.completed");
        Assert.Equal(id, Text(await bob.GetJsonAsync($"/api/conversations/{id}"), "id"));
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
