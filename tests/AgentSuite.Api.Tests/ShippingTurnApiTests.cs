using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>The fourth sample specialist end to end: a question about an order reaches the shipping server through the coordinator.</summary>
public sealed class ShippingTurnApiTests
{
    [Fact]
    public async Task AnOrderQuestionIsHandedToShippingAndTheReplyCarriesTheTrackingThatTheAuditRecords()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "Where is my order ORD-1001?" });

        // The tracking number, carrier and latest scan are the shipping server's seeded data, not text in the mock script.
        Assert.Matches(
            @"^Order ORD-1001 is in transit with ParcelPost, tracking number PP-552301\. Latest scan: Arrived at the sorting hub \(Manchester hub\)\. Expected by \d{4}-\d{2}-\d{2}\.$",
            turn.GetProperty("reply").GetString());
        var completed = turn.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "tool.completed").Select(e => e.GetProperty("tool").GetString()).ToList();
        Assert.Equal(["shipping/track_shipment", "agents/ask_shipping"], completed);

        var audit = (await alice.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray().ToList();
        var handOff = Assert.Single(audit, e => Text(e, "kind") == "tool.completed" && Text(e, "tool") == "agents/ask_shipping");
        Assert.Equal("coordinator", Text(handOff, "agent"));
        var decision = Assert.Single(audit, e => Text(e, "kind") == "tool.decision" && Text(e, "tool") == "shipping/track_shipment");
        Assert.Equal(("shipping", "allowed", "alice"), (Text(decision, "agent"), Text(decision, "decision"), Text(decision, "principal")));
        Assert.Single(audit, e => Text(e, "kind") == "tool.completed" && Text(e, "tool") == "shipping/track_shipment");
        Assert.True((await alice.GetJsonAsync("/api/audit/verify")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task AReplacementForALostParcelWaitsForAnotherPersonAndIsSentOnceApproved()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, "My parcel ORD-1003 was lost, please send it again");
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString()!;
        var item = Assert.Single((await bob.GetJsonAsync("/api/approvals?status=pending")).EnumerateArray());
        Assert.Equal(("shipping", "shipping/reship_order", "A replacement ships goods again at the business's cost; a second person approves it."),
            (Text(item, "agent"), Text(item, "tool"), Text(item, "reason")));
        Assert.Equal("lost", item.GetProperty("arguments").GetProperty("reason").GetString());

        await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "carrier confirmed the loss" });
        var completed = (await stream.ReadUntilAsync("turn.completed"))!.Value;

        Assert.Matches(@"^I sent a replacement for ORD-1003 \(RPL-\d+\) with ParcelPost, tracking number PP-\d+; it is expected by \d{4}-\d{2}-\d{2}\.$", Text(completed, "text"));
    }

    private static string? Text(System.Text.Json.JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
}
