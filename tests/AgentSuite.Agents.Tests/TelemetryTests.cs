using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AgentSuite.Agents.Tests.DeskHarness;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// The traces and metrics of real turns: the demo mock model, the three plugin servers over stdio, governance on
/// SQLite, captured in process for this test's own trace. One turn is one trace: the coordinator's run, the hand-off,
/// the specialist's run, each model call and each governed tool call, with the MCP client's attributes on the tool call.
/// </summary>
public sealed class TelemetryTests
{
    private const string DuplicateCharge = "I was charged twice on INV-1002, please refund it";
    private const string Secret = "sk-live4f9a8b7c6d5e4f3a2b1c0d";

    private static readonly string[] ContentAttributes =
    [
        AppTelemetry.GenAI.InputMessages, AppTelemetry.GenAI.OutputMessages, AppTelemetry.GenAI.SystemInstructions,
        AppTelemetry.GenAI.ToolCallArguments, AppTelemetry.GenAI.ToolCallResult,
        AppTelemetry.Attributes.Principal, AppTelemetry.Attributes.Reason,
    ];

    [Fact]
    public async Task ATurnWithAnApprovalIsOneTraceFromTheCoordinatorThroughTheHandOffToTheApprovedRefund()
    {
        await using var desk = await StartAsync(PluginTransport.Stdio, o =>
        {
            o.Approval.Rules.Clear();
            o.Approval.Rules.Add(new() { Tool = "billing/issue_refund", When = "amount > 40", Reason = "Refunds above 40 need a second person." });
        });
        var conversation = await desk.Conversations.CreateAsync(Alice);
        using var trace = new TraceRecorder();
        var events = new RecordedEvents();

        var turn = desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge, events);
        var pending = await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending).WaitAsync(Patience);
        await desk.Approvals.DecideAsync(pending.ApprovalId!, Bob, approve: true, "duplicate confirmed");
        var done = await turn.WaitAsync(Patience);

        var spans = trace.Spans;
        Assert.All(spans, s => Assert.True(s.ParentSpanId == trace.Root.SpanId || spans.Any(p => p.SpanId == s.ParentSpanId), $"{s.DisplayName} has no parent in the trace"));

        // The coordinator's run is the turn's top span; its model calls and the hand-off are its children.
        var coordinator = Assert.Single(spans, s => s.DisplayName == "invoke_agent coordinator");
        Assert.Equal(trace.Root.SpanId, coordinator.ParentSpanId);
        Assert.Equal(ActivityKind.Internal, coordinator.Kind);
        AssertTags(coordinator, ("gen_ai.operation.name", "invoke_agent"), ("gen_ai.agent.name", "coordinator"), ("gen_ai.provider.name", "agentsuite-mock"),
            ("gen_ai.request.model", "agentsuite-mock"), ("gen_ai.conversation.id", conversation.Id), ("agentsuite.run.id", done.RunId));
        Assert.True(Convert.ToInt64(coordinator.GetTagItem("gen_ai.usage.input_tokens"), null) > 0);
        var coordinatorChats = ChildrenOf(spans, coordinator, "chat agentsuite-mock");
        Assert.Equal(2, coordinatorChats.Count);
        Assert.All(coordinatorChats, c => Assert.Equal(ActivityKind.Client, c.Kind));
        AssertTags(coordinatorChats[0], ("gen_ai.operation.name", "chat"), ("gen_ai.provider.name", "agentsuite-mock"), ("gen_ai.request.model", "agentsuite-mock"),
            ("gen_ai.response.model", "agentsuite-mock"), ("gen_ai.agent.name", "coordinator"), ("gen_ai.conversation.id", conversation.Id));
        Assert.Equal(["tool_calls"], (string[])coordinatorChats[0].GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(["stop"], (string[])coordinatorChats[1].GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.NotNull(coordinatorChats[0].GetTagItem("gen_ai.response.id"));
        Assert.True(Convert.ToInt64(coordinatorChats[0].GetTagItem("gen_ai.usage.output_tokens"), null) > 0);

        var handOff = Assert.Single(ChildrenOf(spans, coordinator, "execute_tool agents/ask_billing"));
        var handOffId = (string)handOff.GetTagItem("gen_ai.tool.call.id")!;
        AssertTags(handOff, ("gen_ai.operation.name", "execute_tool"), ("gen_ai.tool.name", "agents/ask_billing"), ("gen_ai.tool.type", "function"),
            ("gen_ai.agent.name", "coordinator"), ("agentsuite.governance.decision", "allowed"), ("agentsuite.outcome", "completed"));

        // The specialist runs inside the hand-off's span, and its tool calls inside its run.
        var billing = Assert.Single(ChildrenOf(spans, handOff, "invoke_agent billing"));
        AssertTags(billing, ("gen_ai.agent.name", "billing"), ("agentsuite.parent_tool_call.id", handOffId), ("agentsuite.run.id", done.RunId));
        Assert.Equal(4, ChildrenOf(spans, billing, "chat agentsuite-mock").Count);
        Assert.Single(ChildrenOf(spans, billing, "execute_tool billing/get_invoice"));
        Assert.Single(ChildrenOf(spans, billing, "execute_tool policy/check_refund"));
        var refund = Assert.Single(ChildrenOf(spans, billing, "execute_tool billing/issue_refund"));
        AssertTags(refund, ("gen_ai.tool.name", "billing/issue_refund"), ("gen_ai.tool.type", "function"), ("gen_ai.agent.name", "billing"),
            ("gen_ai.conversation.id", conversation.Id), ("agentsuite.parent_tool_call.id", handOffId),
            ("agentsuite.governance.decision", "allowed"), ("agentsuite.outcome", "completed"), ("agentsuite.approval.id", pending.ApprovalId),
            ("agentsuite.approval.decision", "approved"), ("agentsuite.idempotency.hit", "False"), ("agentsuite.tool.pin.status", "pinned"));
        Assert.StartsWith(handOffId + "/", (string)refund.GetTagItem("gen_ai.tool.call.id")!, StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Unset, refund.Status);
        Assert.Equal(["agentsuite.approval.pending", "agentsuite.approval.resolved"], refund.Events.Select(e => e.Name));

        // The MCP client ran inside the governed call: it added its attributes to this span (as the MCP conventions
        // ask when a GenAI execute_tool span is already current) and sent this span's context to the server.
        AssertTags(refund, ("mcp.method.name", "tools/call"));
        Assert.NotNull(refund.GetTagItem("jsonrpc.request.id"));
        Assert.Single(refund.TagObjects, t => t.Key == "gen_ai.tool.name");
        Assert.Single(refund.TagObjects, t => t.Key == "gen_ai.operation.name");
        Assert.DoesNotContain(spans, s => s.DisplayName.StartsWith("tools/call", StringComparison.Ordinal));

        // Nothing a person wrote or is called travels in the trace unless the switch is on.
        AssertNoContent(spans, "charged twice", "alice", "bob", "duplicate confirmed");

        // Metrics of this turn.
        Assert.Equal(
        [
            ("agents/ask_billing", "coordinator", "allowed", "completed"),
            ("billing/get_invoice", "billing", "allowed", "completed"),
            ("billing/issue_refund", "billing", "allowed", "completed"),
            ("policy/check_refund", "billing", "allowed", "completed"),
        ],
        trace.Measured("agentsuite.tool.calls").Select(m => (m.Tag("gen_ai.tool.name"), m.Tag("gen_ai.agent.name"), m.Tag("agentsuite.governance.decision"), m.Tag("agentsuite.outcome"))).Order());
        var wait = Assert.Single(trace.Measured("agentsuite.approval.wait.duration"));
        Assert.Equal(("billing/issue_refund", "approved"), (wait.Tag("gen_ai.tool.name"), wait.Tag("agentsuite.approval.decision")));
        Assert.True(wait.Value > 0);
        var requested = Assert.Single(trace.Measured("agentsuite.approval.requests"));
        Assert.Equal(("billing/issue_refund", "billing", 1.0), (requested.Tag("gen_ai.tool.name"), requested.Tag("gen_ai.agent.name"), requested.Value));
        var turnDuration = Assert.Single(trace.Measured("agentsuite.turn.duration"));
        Assert.Equal(("coordinator", "completed"), (turnDuration.Tag("gen_ai.agent.name"), turnDuration.Tag("agentsuite.outcome")));
        Assert.True(turnDuration.Value >= wait.Value);
        Assert.Equal(6, trace.Measured("gen_ai.client.operation.duration").Count);
        var tokens = trace.Measured("gen_ai.client.token.usage");
        Assert.Equal(6, tokens.Count(t => t.Tag("gen_ai.token.type") == "input"));
        Assert.Equal(6, tokens.Count(t => t.Tag("gen_ai.token.type") == "output"));
        Assert.All(tokens, t => Assert.Equal(("chat", "agentsuite-mock"), (t.Tag("gen_ai.operation.name"), t.Tag("gen_ai.provider.name"))));
        Assert.NotEmpty(trace.Measured("agentsuite.audit.append.duration"));
    }

    [Fact]
    public async Task SensitiveContentIsRecordedRedactedOnlyWhenSwitchedOn()
    {
        await using var desk = await StartAsync(PluginTransport.Stdio, services: (_, s) => s.Configure<TelemetryOptions>(o => o.RecordSensitiveData = true));
        var conversation = await desk.Conversations.CreateAsync(Alice);
        using var trace = new TraceRecorder();

        var done = await desk.Conversations.SendAsync(conversation.Id, Alice, $"{DuplicateCharge} (from my notes: {Secret})").WaitAsync(Patience);

        var spans = trace.Spans;
        var coordinator = Assert.Single(spans, s => s.DisplayName == "invoke_agent coordinator");
        AssertTags(coordinator, ("agentsuite.principal", "alice"));
        var input = Json(coordinator, "gen_ai.input.messages");
        Assert.Equal("user", input[0].GetProperty("role").GetString());
        var said = input[0].GetProperty("parts")[0];
        Assert.Equal("text", said.GetProperty("type").GetString());
        Assert.StartsWith(DuplicateCharge, said.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", said.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("customer-service coordinator", Json(coordinator, "gen_ai.system_instructions")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(done.Reply, Json(coordinator, "gen_ai.output.messages")[0].GetProperty("parts")[0].GetProperty("content").GetString());

        // Each model call: what it was sent (instructions first) and what it answered, tool calls as tool_call parts.
        var firstChat = ChildrenOf(spans, coordinator, "chat agentsuite-mock")[0];
        Assert.Equal("system", Json(firstChat, "gen_ai.input.messages")[0].GetProperty("role").GetString());
        var answer = Json(firstChat, "gen_ai.output.messages")[0];
        Assert.Equal("tool_call", answer.GetProperty("finish_reason").GetString());
        Assert.Equal(("tool_call", "ask_billing"), (answer.GetProperty("parts")[0].GetProperty("type").GetString(), answer.GetProperty("parts")[0].GetProperty("name").GetString()));

        // Each governed call: its arguments and the screened result the model read.
        var handOff = Assert.Single(spans, s => s.DisplayName == "execute_tool agents/ask_billing");
        Assert.StartsWith(DuplicateCharge, Json(handOff, "gen_ai.tool.call.arguments").GetProperty("request").GetString(), StringComparison.Ordinal);
        var refund = Assert.Single(spans, s => s.DisplayName == "execute_tool billing/issue_refund");
        var arguments = Json(refund, "gen_ai.tool.call.arguments");
        Assert.Equal(("INV-1002", 49m), (arguments.GetProperty("invoice_id").GetString(), arguments.GetProperty("amount").GetDecimal()));
        var result = Json(refund, "gen_ai.tool.call.result");
        Assert.Equal(("tool_result", "untrusted-data"), (result.GetProperty("type").GetString(), result.GetProperty("trust").GetString()));
        Assert.Matches(@"RF-\d+", result.GetProperty("content").GetRawText());
        AssertTags(refund, ("agentsuite.principal", "alice"));

        // Recorded, but never the secret itself: everything passed the governance redactor.
        Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains(Secret, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ADeniedCallIsASpanWithItsStageAndCountsAsDeniedButIsNoError()
    {
        await using var desk = await StartAsync(PluginTransport.Stdio, o => o.KillSwitch.Engaged.Add("tool:billing/issue_refund"));
        var conversation = await desk.Conversations.CreateAsync(Alice);
        using var trace = new TraceRecorder();

        await desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge).WaitAsync(Patience);

        var refund = Assert.Single(trace.Spans, s => s.DisplayName == "execute_tool billing/issue_refund");
        AssertTags(refund, ("agentsuite.governance.decision", "denied"), ("agentsuite.governance.stage", "kill-switch"), ("agentsuite.outcome", "denied"));
        Assert.Equal(ActivityStatusCode.Unset, refund.Status);
        Assert.Null(refund.GetTagItem("mcp.method.name"));
        Assert.Null(refund.GetTagItem("agentsuite.governance.reason"));
        var denied = Assert.Single(trace.Measured("agentsuite.tool.calls"), m => m.Tag("agentsuite.governance.decision") == "denied");
        Assert.Equal(("billing/issue_refund", "kill-switch", "denied"), (denied.Tag("gen_ai.tool.name"), denied.Tag("agentsuite.governance.stage"), denied.Tag("agentsuite.outcome")));
    }

    [Fact]
    public async Task AToolThatFailsMarksItsSpanAsAnErrorOfItsTypeWithoutItsMessage()
    {
        static Dictionary<string, object?> Args(params (string Name, object Value)[] pairs) =>
            pairs.ToDictionary(p => p.Name, p => (object?)JsonSerializer.SerializeToElement(p.Value));
        var model = new ScriptedChatClient()
            .For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
                ? ScriptedChatClient.Call("ask_billing", Args(("request", "Refund 60 on INV-1002")))
                : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)))
            .For("billing", m => ScriptedChatClient.ToolResults(m) == 0
                ? ScriptedChatClient.Call("billing_issue_refund", Args(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 60m), ("idempotency_key", "INV-1002/CH-2")))
                : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        await using var h = new AgentHarness(model);
        using var trace = new TraceRecorder();

        await h.AskAsync("Refund 60 on INV-1002").WaitAsync(Patience);

        var refund = Assert.Single(trace.Spans, s => s.DisplayName == "execute_tool billing/issue_refund");
        AssertTags(refund, ("agentsuite.governance.decision", "allowed"), ("agentsuite.outcome", "failed"), ("agentsuite.governance.stage", "tool"),
            ("error.type", "ModelContextProtocol.McpException"));
        Assert.Single(refund.TagObjects, t => t.Key == "error.type");
        Assert.Equal((ActivityStatusCode.Error, "ModelContextProtocol.McpException"), (refund.Status, refund.StatusDescription));
        Assert.Empty(refund.Events);
        var failed = Assert.Single(trace.Measured("agentsuite.tool.calls"), m => m.Tag("gen_ai.tool.name") == "billing/issue_refund");
        Assert.Equal(("allowed", "failed", "tool"), (failed.Tag("agentsuite.governance.decision"), failed.Tag("agentsuite.outcome"), failed.Tag("agentsuite.governance.stage")));

        // The hand-off itself completed: the specialist read the failure and answered.
        AssertTags(Assert.Single(trace.Spans, s => s.DisplayName == "execute_tool agents/ask_billing"), ("agentsuite.outcome", "completed"));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void TheSwitchIsReadFromTheAppsConfigurationAndIsOffByDefault(string? value, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AgentSuite:Telemetry:RecordSensitiveData"] = value }).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddGovernance(_ => { })
            .BuildServiceProvider();

        Assert.Equal(expected, services.GetRequiredService<IOptionsMonitor<TelemetryOptions>>().CurrentValue.RecordSensitiveData);
    }

    [Fact]
    public void WithoutAConfigurationInTheContainerTheSwitchIsOff()
    {
        using var services = new ServiceCollection().AddGovernance(_ => { }).BuildServiceProvider();

        Assert.False(services.GetRequiredService<IOptionsMonitor<TelemetryOptions>>().CurrentValue.RecordSensitiveData);
    }

    private static List<Activity> ChildrenOf(IReadOnlyList<Activity> spans, Activity parent, string name) =>
        [.. spans.Where(s => s.ParentSpanId == parent.SpanId && s.DisplayName == name).OrderBy(s => s.StartTimeUtc)];

    private static void AssertTags(Activity span, params (string Key, string? Value)[] expected)
    {
        foreach (var (key, value) in expected)
        {
            Assert.True(span.GetTagItem(key) is not null, $"{span.DisplayName} has no {key}");
            Assert.Equal(value, span.GetTagItem(key)?.ToString());
        }
    }

    private static void AssertNoContent(IReadOnlyList<Activity> spans, params string[] words)
    {
        foreach (var span in spans)
        {
            Assert.DoesNotContain(span.TagObjects, t => ContentAttributes.Contains(t.Key));
            foreach (var (key, value) in span.TagObjects)
            {
                var text = value is string[] items ? string.Join(" ", items) : value?.ToString() ?? "";
                Assert.DoesNotContain(words, w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
            }

            Assert.DoesNotContain(span.Events, e => e.Name == "exception");
            Assert.DoesNotContain(words, w => span.StatusDescription?.Contains(w, StringComparison.OrdinalIgnoreCase) == true);
        }
    }

    private static JsonElement Json(Activity span, string key) =>
        JsonDocument.Parse(span.GetTagItem(key) as string ?? throw new Xunit.Sdk.XunitException($"{span.DisplayName} has no {key}")).RootElement;
}
