using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Tests.Support;

namespace AgentSuite.Governance.Tests.Filters;

public sealed class AllowListFilterTests
{
    private static Dictionary<string, object?> Invoice(string id = "inv-1") => CountingTool.Args(("invoice_id", id));

    [Theory]
    [InlineData("billing")]
    [InlineData("policy")]
    public async Task AllowedPatternLetsCallRun(string server)
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), server, ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Invoice());

        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task ToolOnAnotherServerIsDeniedNamingAgentAndTool()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), "crm", ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Invoice());

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("allow-list", outcome.Stage);
        Assert.Contains("'billing'", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("'crm/get_invoice'", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task AgentWithNoEntryMayCallNothing()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run("intruder"), "call-1", Invoice());

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("allow-list", outcome.Stage);
        Assert.Contains("'intruder'", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("Governance:Agents:intruder", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task AgentNameIsMatchedCaseSensitively()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run("Billing"), "call-1", Invoice());

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("allow-list", outcome.Stage);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task DenyPatternWinsOverAllow()
    {
        using var h = new GovernanceHarness(o => o.Agents["billing"].Deny = ["billing/issue_*"]);
        var counter = new CountingTool();
        var refund = h.Tool(counter.Refund());
        var lookup = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var denied = await GovernanceHarness.CallAsync(refund, GovernanceHarness.Run(), "call-1", CountingTool.Args(("amount", 10m), ("invoice_id", "inv-1")));
        var allowed = await GovernanceHarness.CallAsync(lookup, GovernanceHarness.Run(), "call-2", Invoice());

        Assert.Equal(ToolCallStatus.Denied, denied.Status);
        Assert.Equal("allow-list", denied.Stage);
        Assert.Contains("'billing/issue_refund'", denied.Reason, StringComparison.Ordinal);
        Assert.Equal(ToolCallStatus.Completed, allowed.Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task InvalidAllowPatternDeniesEveryCall()
    {
        using var h = new GovernanceHarness(o => o.Agents["billing"].Allow.Add("billing/ bad"));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Invoice());

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("policy", outcome.Stage);
        Assert.Contains("Agents:billing:Allow:2", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Theory]
    [InlineData("billing/*", "billing/issue_refund", true)]
    [InlineData("billing/*", "billingx/a", false)]
    [InlineData("billing/*", "Billing/issue_refund", false)]
    [InlineData("billing/Get_*", "billing/get_invoice", false)]
    [InlineData("*/get_*", "billing/get_invoice", true)]
    [InlineData("*/get_*", "crm/get_customer", true)]
    [InlineData("*/get_*", "crm/list_customers", false)]
    [InlineData("*/get_*", "crm/reports/get_summary", true)]
    [InlineData("*", "any/thing/at/all", true)]
    [InlineData("billing/?", "billing/a", true)]
    [InlineData("billing/?", "billing/ab", false)]
    [InlineData("billing/get_?nvoice", "billing/get_invoice", true)]
    [InlineData("billing/get_?nvoice", "billing/get_nvoice", false)]
    [InlineData("billing?issue_refund", "billing/issue_refund", true)]
    [InlineData("billing/issue_refund", "billing/issue_refund", true)]
    [InlineData("billing/issue_refund", "billing/issue_refunds", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYcZ", false)]
    [InlineData("*refund", "billing/refund_refund", true)]
    public void ToolPatternGlobMatchesCaseSensitively(string pattern, string tool, bool expected) =>
        Assert.Equal(expected, ToolPattern.Parse(pattern).IsMatch(tool));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("billing/ *")]
    public void ToolPatternRefusesEmptyOrWhiteSpace(string pattern) =>
        Assert.Throws<FormatException>(() => ToolPattern.Parse(pattern));

    [Fact]
    public void VisibleToOffersOnlyToolsTheAgentMayCall()
    {
        using var h = new GovernanceHarness(o => o.Agents["billing"].Deny = ["policy/echo"]);
        var counter = new CountingTool();
        var invoice = h.Tool(counter.Lookup(), "billing", ToolAnnotations.ReadOnly);
        var refund = h.Tool(counter.Refund(), "billing");
        var crm = h.Tool(counter.Lookup(), "crm", ToolAnnotations.ReadOnly);
        var echo = h.Tool(counter.Echo(), "policy", ToolAnnotations.ReadOnly);
        GovernedTool[] all = [invoice, refund, crm, echo];

        var billing = h.Tools.VisibleTo("billing", all);
        var coordinator = h.Tools.VisibleTo("coordinator", all);
        var stranger = h.Tools.VisibleTo("stranger", all);

        Assert.Equal(["billing/get_invoice", "billing/issue_refund"], billing.Select(t => t.Descriptor.Identity.Key));
        Assert.Empty(coordinator);
        Assert.Empty(stranger);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task DeniedCallIsAuditedAsDecisionWithStage()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), "crm", ToolAnnotations.ReadOnly);
        var events = new RecordingEvents();

        await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "call-7", Invoice("inv-42"));

        var record = Assert.Single(await h.AuditAsync("conv-1"));
        Assert.Equal(GovernanceEventTypes.ToolDecision, record.Entry.Kind);
        Assert.Equal("denied", record.Entry.Decision);
        Assert.Equal("billing", record.Entry.Agent);
        Assert.Equal("alice", record.Entry.Principal);
        Assert.Equal("crm/get_invoice", record.Entry.Tool);
        Assert.Equal("call-7", record.Entry.ToolCallId);
        Assert.Contains("not allowed", record.Entry.Reason, StringComparison.Ordinal);
        var data = Assert.NotNull(record.Entry.Data);
        Assert.Equal("allow-list", data.GetProperty("stage").GetString());
        Assert.Equal("inv-42", data.GetProperty("arguments").GetProperty("invoice_id").GetString());
        Assert.Equal(["tool.requested", "tool.decision:denied"], events.Types);
    }
}
