using AgentSuite.Durability.Tests.Cluster.Support;
using AgentSuite.Durability.Tests.Support;
using static AgentSuite.Durability.Tests.Cluster.Support.ClusterCallers;

namespace AgentSuite.Durability.Tests.Cluster;

/// <summary>
/// A client that retries one refund on both instances at once, through the agents they serve over MCP, with the same
/// idempotency_key: one turn runs, on one instance, and the refund is paid once.
/// </summary>
public sealed class IdempotencyAcrossInstancesTests
{
    private const string SmallRefund = "I was charged twice on INV-1002, please refund it";

    [Fact]
    public async Task TheSameRefundAskedOnBothInstancesAtOnceWithOneKeyRunsOneTurnAndIsPaidOnce()
    {
        using var run = await TwoInstances.StartAsync(new Dictionary<string, string?> { ["AgentServer:Agents:coordinator:Roles:0"] = "user" });
        await using var onA = await FrontDoor.ConnectAsync(run.A, Alice);
        await using var onB = await FrontDoor.ConnectAsync(run.B, Alice);
        var arguments = new Dictionary<string, object?> { ["message"] = SmallRefund, ["idempotency_key"] = "refund-inv-1002-retried", ["wait_seconds"] = 60 };

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[] { onA.AskAsync("ask_coordinator", arguments), onB.AskAsync("ask_coordinator", arguments) }));

        Assert.All(answers, a => Assert.False(a.IsError, $"{a.Text}\n{run.Describe()}"));
        Assert.All(answers, a => Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.", a.Text));
        Assert.Single(answers.Select(a => a.Text).Distinct());
        Assert.Equal((1, 4900), BillingFile.Refunds(run.Plugins.BillingFile, "INV-1002"));
        using var aliceOnB = run.B.As(Alice);
        var conversation = Assert.Single((await aliceOnB.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());
        Assert.Equal(2, conversation.GetProperty("messageCount").GetInt32());
        using var root = run.A.As(Root);
        var audit = await root.AuditAsync(conversation.Text("id"));
        Assert.Single(audit, e => e.Text("kind") == "tool.decision" && e.Text("tool") == "billing/issue_refund");
        Assert.Single(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
    }
}
