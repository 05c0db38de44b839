using System.Text.Json;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Pipeline;

public sealed class GovernedPipelineTests
{
    [Fact]
    public async Task AllowedCallRunsOnceAndIsAuditedBeforeAndAfter()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("amount", 40m), ("invoice_id", "INV-1")));

        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);
        var audit = await h.AuditAsync();
        var kinds = audit.Where(r => r.Entry.ToolCallId == "call-1").Select(r => $"{r.Entry.Kind}:{r.Entry.Decision}").ToList();
        Assert.Equal(["tool.decision:allowed", "tool.completed:completed"], kinds);
        var allowed = audit.Single(r => r.Entry.Decision == "allowed").Entry;
        Assert.Equal(("conv-1", "run-1", "billing", "alice", "billing/issue_refund"), (allowed.ConversationId, allowed.RunId, allowed.Agent, allowed.Principal, allowed.Tool));
        Assert.Equal(40m, allowed.Data!.Value.GetProperty("arguments").GetProperty("amount").GetDecimal());
        Assert.Equal(64, allowed.Data!.Value.GetProperty("argumentsHash").GetString()!.Length);
    }

    [Fact]
    public async Task EventsFollowTheCallInOrder()
    {
        using var h = new GovernanceHarness();
        var events = new RecordingEvents();
        var tool = h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly);

        await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "call-1", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal(["tool.requested", "tool.decision:allowed", "tool.completed:completed"], events.Types);
        Assert.All(events.Events, e => Assert.Equal(("billing", "billing/get_invoice", "call-1"), (e.Agent, e.Tool, e.ToolCallId)));
    }

    [Fact]
    public async Task DenialReachesTheModelAsAResultThatSaysWhy()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund(), server: "crm");
        var arguments = new AIFunctionArguments(CountingTool.Args(("amount", 5m), ("invoice_id", "INV-1"))).WithToolCall(GovernanceHarness.Run(), "call-9");

        var result = (JsonElement)(await tool.InvokeAsync(arguments))!;

        Assert.Equal("denied", result.GetProperty("status").GetString());
        Assert.Equal("allow-list", result.GetProperty("stage").GetString());
        Assert.Contains("crm/issue_refund", result.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task ToolFailureIsAuditedAndRethrownAsTheToolThrewIt()
    {
        using var h = new GovernanceHarness();
        var tool = h.Tool(new CountingTool().Failing());
        var arguments = new AIFunctionArguments(CountingTool.Args(("invoice_id", "INV-7"))).WithToolCall(GovernanceHarness.Run(), "call-f");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tool.InvokeAsync(arguments));

        Assert.Equal("Invoice INV-7 is locked.", ex.Message);
        var failed = (await h.AuditAsync()).Single(r => r.Entry.Kind == "tool.failed").Entry;
        Assert.Equal("Invoice INV-7 is locked.", failed.Reason);
    }

    [Fact]
    public async Task AmbientRunIsUsedWhenTheArgumentsCarryNone()
    {
        using var h = new GovernanceHarness();
        var tool = h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly);

        using (AgentRunContext.Enter(GovernanceHarness.Run(principal: GovernanceHarness.Bob)))
        {
            await tool.InvokeAsync(new AIFunctionArguments(CountingTool.Args(("invoice_id", "INV-1"))));
        }

        Assert.Contains(await h.AuditAsync(), r => r.Entry.Principal == "bob" && r.Entry.Decision == "allowed");
    }

    [Fact]
    public async Task CallWithoutARunIsDeniedAndAudited()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await tool.InvokeGovernedAsync(new AIFunctionArguments(CountingTool.Args(("invoice_id", "INV-1"))));

        Assert.Equal((ToolCallStatus.Denied, "attribution"), (outcome.Status, outcome.Stage));
        Assert.Equal(0, counter.Calls);
        Assert.Contains(await h.AuditAsync(), r => r.Entry.Decision == "denied" && r.Entry.Tool == "billing/get_invoice");
    }

    [Fact]
    public async Task ThrowingFilterDeniesTheCallAndIsAudited()
    {
        using var h = new GovernanceHarness(configure: null);
        var services = new ServiceCollection();
        var counter = new CountingTool();
        var pipeline = new GovernancePipeline(
            [new ThrowingFilter(), .. h.Services.GetServices<IToolCallFilter>()],
            h.Policies, h.Audit, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<GovernancePipeline>.Instance);
        var tool = new GovernedTool(counter.Lookup(), new ToolDescriptor(new ToolIdentity("billing", "get_invoice"), ToolAnnotations.ReadOnly), pipeline);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-x", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal((ToolCallStatus.Denied, "broken"), (outcome.Status, outcome.Stage));
        Assert.Contains("policy store unreachable", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
        var denied = (await h.AuditAsync()).Single(r => r.Entry.ToolCallId == "call-x").Entry;
        Assert.Equal(("denied", "broken"), (denied.Decision, denied.Data!.Value.GetProperty("stage").GetString()));
    }

    [Fact]
    public async Task MalformedPolicyDeniesEveryCallAndIsAudited()
    {
        using var h = new GovernanceHarness(o => o.Constraints.Add(new ArgumentConstraintOptions { Tool = "billing/*", Rule = "amount <=" }));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-p", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal((ToolCallStatus.Denied, "policy"), (outcome.Status, outcome.Stage));
        Assert.Contains("Constraints:0:Rule", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
        Assert.Contains(await h.AuditAsync(), r => r.Entry.ToolCallId == "call-p" && r.Entry.Decision == "denied");
    }

    [Fact]
    public async Task FailingAuditStoreBlocksTheCall()
    {
        var failing = new FailingAuditStore();
        using var h = new GovernanceHarness(audit: _ => failing);
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-a", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Contains("disk I/O error", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("could not record", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
        Assert.True(failing.Attempts >= 2);
    }

    [Fact]
    public async Task UnknownToolIsDeniedAndAudited()
    {
        using var h = new GovernanceHarness();
        var events = new RecordingEvents();

        var outcome = await h.Pipeline.DenyUnknownToolAsync(GovernanceHarness.Run(events: events), "transfer_all_funds", "call-u");

        Assert.Equal((ToolCallStatus.Denied, "unknown-tool"), (outcome.Status, outcome.Stage));
        Assert.Contains(await h.AuditAsync(), r => r.Entry.Tool == "transfer_all_funds" && r.Entry.Decision == "denied");
        Assert.Equal(["tool.decision:denied"], events.Types);
    }

    [Fact]
    public void GovernedToolKeepsTheInnerToolDiscoverable()
    {
        using var h = new GovernanceHarness();
        var inner = new CountingTool().Lookup();
        var tool = h.Tools.Create(inner, new ToolDescriptor(new ToolIdentity("billing", "get_invoice"), ToolAnnotations.ReadOnly, "billing_get_invoice"));

        Assert.Same(tool, tool.GetService<GovernedTool>());
        Assert.Same(inner, tool.Inner);
        Assert.Equal("billing_get_invoice", tool.Name);
        Assert.Equal(inner.JsonSchema.GetRawText(), tool.JsonSchema.GetRawText());
        Assert.Equal(["kill-switch", "allow-list", "arguments", "limits", "pinning", "approval", "idempotency", "screening", "audit"], h.Pipeline.Stages);
    }

    [Fact]
    public async Task HandOffRunRecordsItsParentCall()
    {
        using var h = new GovernanceHarness();
        var tool = h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly);
        var coordinator = GovernanceHarness.Run(agent: "coordinator");

        await GovernanceHarness.CallAsync(tool, coordinator.ForHandOff("billing", "call-handoff"), "call-1", CountingTool.Args(("invoice_id", "INV-1")));

        var allowed = (await h.AuditAsync()).Single(r => r.Entry.Decision == "allowed").Entry;
        Assert.Equal(("billing", "run-1", "call-handoff"), (allowed.Agent, allowed.RunId, allowed.Data!.Value.GetProperty("parentToolCallId").GetString()));
    }

    private sealed class ThrowingFilter : IToolCallFilter
    {
        public string Name => "broken";

        public ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next) =>
            throw new InvalidOperationException("policy store unreachable");
    }
}
