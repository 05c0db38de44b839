using System.Collections.Concurrent;
using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Agents.Tests;

public sealed class AgentRunnerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Dictionary<string, object?> Json(params (string Name, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => (object?)JsonSerializer.SerializeToElement(p.Value));

    /// <summary>Coordinator hands off; billing reads the invoice, refunds CH-2, and reports; coordinator relays it.</summary>
    private static ScriptedChatClient RefundScript(decimal amount = 49m) => new ScriptedChatClient()
        .For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("ask_billing", Json(("request", "Refund the duplicate charge on INV-1002")))
            : ScriptedChatClient.Say("Done: " + ScriptedChatClient.LastResult(m)))
        .For("billing", m => ScriptedChatClient.ToolResults(m) switch
        {
            0 => ScriptedChatClient.Call("billing_get_invoice", Json(("invoice_id", "INV-1002"))),
            1 => ScriptedChatClient.Call("billing_issue_refund", Json(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", amount), ("idempotency_key", "INV-1002/CH-2"))),
            _ => ScriptedChatClient.Say("billing says: " + ScriptedChatClient.LastResult(m)),
        });

    [Fact]
    public void RepositoryAgentsLoadWithTheirServersAndHandOffs()
    {
        var model = new ScriptedChatClient();
        var agents = new AgentHarness(model).Services.GetRequiredService<AgentCatalog>().Agents;

        // Not pinned to a list: adding a specialist (docs/add-an-agent.md) must not break this test.
        Assert.Superset(new HashSet<string> { "billing", "coordinator", "support" }, agents.Keys.ToHashSet());
        Assert.Equal(agents.Keys.Where(k => k != "coordinator").Order(), agents["coordinator"].HandOffs.Order());
        Assert.Equal(["billing", "policy"], agents["billing"].Servers);
        Assert.Equal(0L, agents["billing"].ExecutionSettings["temperature"]);
    }

    [Fact]
    public async Task EachAgentSeesOnlyTheToolsItsAllowListPermits()
    {
        var model = RefundScript();
        await using var h = new AgentHarness(model, g => g.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/get_*"] });

        await h.AskAsync("Refund the duplicate charge on INV-1002").WaitAsync(Patience);

        var handOffs = model.Requests.First(r => r.Agent == "coordinator").Tools;
        Assert.Contains("ask_billing", handOffs);
        Assert.All(handOffs, t => Assert.StartsWith("ask_", t, StringComparison.Ordinal));
        Assert.Equal(["billing_get_invoice"], model.Requests.First(r => r.Agent == "billing").Tools);
    }

    [Fact]
    public async Task HandOffRunsTheSpecialistUnderTheSameRunAndRecordsWhoDidWhat()
    {
        var events = new ConcurrentQueue<GovernanceEvent>();
        var sink = new Sink(events);
        await using var h = new AgentHarness(RefundScript());

        var result = await h.AskAsync("Refund the duplicate charge on INV-1002", sink).WaitAsync(Patience);

        Assert.StartsWith("Done: ", result.Text, StringComparison.Ordinal);
        Assert.Contains("rf_1", result.Text, StringComparison.Ordinal);
        Assert.Equal(1, h.Refunds);

        var audit = await h.AuditAsync();
        var handOff = audit.Single(e => e.Tool == "agents/ask_billing" && e.Decision == "allowed");
        var refund = audit.Single(e => e.Tool == "billing/issue_refund" && e.Decision == "allowed");
        Assert.Equal(("coordinator", "alice", "run-1"), (handOff.Agent, handOff.Principal, handOff.RunId));
        Assert.Equal(("billing", "alice", "run-1"), (refund.Agent, refund.Principal, refund.RunId));
        Assert.Equal(handOff.ToolCallId, refund.Data!.Value.GetProperty("parentToolCallId").GetString());

        var started = events.Where(e => e.Type == GovernanceEventTypes.AgentStarted).Select(e => e.Agent).ToList();
        Assert.Equal(["coordinator", "billing"], started);
    }

    [Fact]
    public async Task CallIdsStayUniqueAcrossTheHandOffTreeWhenEveryModelNumbersItsCallsFromOne()
    {
        // Like the mock model, each agent numbers its calls call_1, call_2, ... and the coordinator hands off twice.
        var model = new ScriptedChatClient()
            .For("coordinator", m => ScriptedChatClient.ToolResults(m) switch
            {
                0 => ScriptedChatClient.Call("ask_billing", Json(("request", "CH-1")), "call_1"),
                1 => ScriptedChatClient.Call("ask_billing", Json(("request", "CH-2")), "call_2"),
                _ => ScriptedChatClient.Say("both done"),
            })
            .For("billing", m => ScriptedChatClient.ToolResults(m) switch
            {
                0 => ScriptedChatClient.Call("billing_get_invoice", Json(("invoice_id", "INV-1002")), "call_1"),
                1 => ScriptedChatClient.Call("billing_issue_refund", Json(("invoice_id", "INV-1002"), ("charge_id", m[1].Text), ("amount", 1m), ("idempotency_key", "k-" + m[1].Text)), "call_2"),
                _ => ScriptedChatClient.Say("refunded"),
            });
        await using var h = new AgentHarness(model);

        await h.AskAsync("refund both").WaitAsync(Patience);

        var allowed = (await h.AuditAsync()).Where(e => e.Decision == "allowed").Select(e => (e.Agent, e.ToolCallId)).ToList();
        Assert.Equal(
        [
            ("coordinator", "call_1"),
            ("billing", "call_1/call_1"),
            ("billing", "call_1/call_2"),
            ("coordinator", "call_2"),
            ("billing", "call_2/call_1"),
            ("billing", "call_2/call_2"),
        ],
        allowed);
        Assert.Equal(2, h.Refunds);
    }

    [Fact]
    public async Task ApprovalRequestedInsideASpecialistIsNeverSkipped()
    {
        var events = new ConcurrentQueue<GovernanceEvent>();
        await using var h = new AgentHarness(RefundScript(), g => g.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 10" }));

        var turn = h.AskAsync("Refund the duplicate charge on INV-1002", new Sink(events));
        GovernanceEvent? pending = null;
        for (var i = 0; i < 300 && pending is null; i++)
        {
            await Task.Delay(50);
            pending = events.FirstOrDefault(e => e.Type == GovernanceEventTypes.ApprovalPending);
        }

        Assert.NotNull(pending);
        Assert.Equal(("billing", "billing/issue_refund"), (pending.Agent, pending.Tool));
        Assert.False(turn.IsCompleted);
        Assert.Equal(0, h.Refunds);

        await h.Services.GetRequiredService<ApprovalService>().DecideAsync(pending.ApprovalId!, new Principal("bob", Roles.Approver), approve: true, "ok");
        var result = await turn.WaitAsync(Patience);

        Assert.Contains("rf_1", result.Text, StringComparison.Ordinal);
        Assert.Equal(1, h.Refunds);
    }

    [Fact]
    public async Task DeniedHandOffIsReadByTheCoordinatorAndNothingRuns()
    {
        var model = RefundScript();
        await using var h = new AgentHarness(model, g => g.KillSwitch.Engaged.Add("tool:agents/ask_billing"));

        var result = await h.AskAsync("Refund the duplicate charge on INV-1002").WaitAsync(Patience);

        Assert.Contains("\"status\":\"denied\"", result.Text, StringComparison.Ordinal);
        Assert.Contains("kill switch", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(model.Requests, r => r.Agent == "billing");
        Assert.Equal(0, h.Refunds);
    }

    [Fact]
    public async Task UnknownToolNameIsDeniedAuditedAndTheModelReadsWhy()
    {
        var model = new ScriptedChatClient().For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("transfer_all_funds", Json(("to", "attacker")))
            : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        await using var h = new AgentHarness(model);

        var result = await h.AskAsync("Move the money").WaitAsync(Patience);

        Assert.Contains("No tool named 'transfer_all_funds' is available to agent 'coordinator'", result.Text, StringComparison.Ordinal);
        Assert.Contains(await h.AuditAsync(), e => e.Tool == "transfer_all_funds" && e.Decision == "denied");
    }

    [Fact]
    public async Task ToolsAreWithdrawnOnTheLastIteration()
    {
        var model = new ScriptedChatClient().For("coordinator", m => ScriptedChatClient.ToolResults(m) < 1
            ? ScriptedChatClient.Call("ask_support", Json(("request", "again")))
            : ScriptedChatClient.Say("summary without tools"));
        model.For("support", _ => ScriptedChatClient.Say("support answered"));
        await using var h = new AgentHarness(model, maxIterations: 2);

        var result = await h.AskAsync("Loop forever").WaitAsync(Patience);

        var coordinatorRequests = model.Requests.Where(r => r.Agent == "coordinator").ToList();
        Assert.Equal(2, coordinatorRequests.Count);
        Assert.NotEmpty(coordinatorRequests[0].Tools);
        Assert.Empty(coordinatorRequests[1].Tools);
        Assert.Equal("summary without tools", result.Text);
    }

    [Fact]
    public async Task AModelStillAskingForToolsAtTheIterationLimitFailsTheTurnSayingWhichLimit()
    {
        var model = new ScriptedChatClient().For("coordinator", _ => ScriptedChatClient.Call("ask_support", Json(("request", "again"))));
        model.For("support", _ => ScriptedChatClient.Say("support answered"));
        await using var h = new AgentHarness(model, maxIterations: 2);
        var conversation = await h.Conversations.CreateAsync(new Principal("alice", Roles.User));
        var events = new ConcurrentQueue<GovernanceEvent>();

        var ex = await Assert.ThrowsAsync<AgentRunException>(() => h.Conversations.SendAsync(conversation.Id, new Principal("alice", Roles.User), "Loop forever", new Sink(events)).WaitAsync(Patience));

        Assert.Contains("used all 2 model calls", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Agents:ToolLoop:MaximumIterationsPerRequest", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, model.Requests.Count(r => r.Agent == "coordinator"));
        var failed = Assert.Single(events, e => e.Type == GovernanceEventTypes.TurnFailed);
        Assert.Equal(ex.Message, failed.Reason);
    }

    [Fact]
    public async Task ConsecutiveToolFailuresEndTheRunWithAClearError()
    {
        var model = new ScriptedChatClient().For("billing", m => ScriptedChatClient.Call(
            "billing_issue_refund",
            Json(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 90m + ScriptedChatClient.ToolResults(m)), ("idempotency_key", "k" + ScriptedChatClient.ToolResults(m)))));
        await using var h = new AgentHarness(model);

        var ex = await Assert.ThrowsAsync<AgentRunException>(() =>
            h.Runner.RunAsync("billing", AgentHarness.Run() with { Agent = "billing" }, [new ChatMessage(ChatRole.User, "refund 90")]).WaitAsync(Patience));

        Assert.Contains("3 failed tool calls in a row", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exceeds the refundable 49.00", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Refunds);
    }

    [Theory]
    [InlineData("description: x\ntemplate: hi", "'name' must be set")]
    [InlineData("name: a b\ntemplate: hi", "'name' must be set")]
    [InlineData("name: a\n", "has no 'template'")]
    [InlineData("name: a\ntemplate: [unclosed", "line")]
    public void BrokenAgentFileIsRefusedSayingWhatToFix(string yaml, string message)
    {
        var ex = Assert.Throws<FormatException>(() => AgentDefinitionLoader.Parse(yaml, "agents/a.yaml"));

        Assert.Contains("agents/a.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandOffToAnUndefinedAgentIsRefused()
    {
        var folder = Directory.CreateTempSubdirectory("agentsuite-prompts").FullName;
        File.WriteAllText(Path.Combine(folder, "coordinator.yaml"), "name: coordinator\ntemplate: hi\nagents: [payments]\n");

        var ex = Assert.Throws<FormatException>(() => AgentDefinitionLoader.LoadFolder(folder));

        Assert.Contains("hands off to 'payments'", ex.Message, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    private sealed class Sink(ConcurrentQueue<GovernanceEvent> events) : IGovernanceEventSink
    {
        public void Publish(GovernanceEvent governanceEvent) => events.Enqueue(governanceEvent);
    }
}
