using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Tests.Support;

namespace AgentSuite.Governance.Tests.Filters;

public sealed class ArgumentPolicyFilterTests
{
    private const string RefundCap = "Refunds above 500 need a manager.";

    private static void CapRefunds(GovernanceOptions o, string tool = "billing/issue_refund", string? message = RefundCap) =>
        o.Constraints.Add(new ArgumentConstraintOptions { Tool = tool, Rule = "amount <= 500", Message = message });

    private static Dictionary<string, object?> Refund(object? amount, string invoice = "inv-1") =>
        CountingTool.Args(("amount", amount), ("invoice_id", invoice));

    [Fact]
    public async Task MissingRequiredArgumentIsDeniedBeforeToolRuns()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("amount", 10m)));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("arguments", outcome.Stage);
        Assert.Contains("'billing/issue_refund'", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("$: missing required property 'invoice_id'", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Theory]
    [InlineData("lots", "string")]
    [InlineData("400", "string")]
    [InlineData(true, "boolean")]
    public async Task WrongArgumentTypeIsDeniedNamingThePath(object amount, string found)
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Refund(amount));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("arguments", outcome.Stage);
        Assert.Contains($"$.amount: expected number, found {found}", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task SchemaDenialIsAuditedWithStageAndArguments()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Refund("lots"));

        var record = Assert.Single(await h.AuditAsync("conv-1"));
        Assert.Equal("denied", record.Entry.Decision);
        var data = Assert.NotNull(record.Entry.Data);
        Assert.Equal("arguments", data.GetProperty("stage").GetString());
        Assert.Equal("lots", data.GetProperty("arguments").GetProperty("amount").GetString());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(500)]
    [InlineData(0.01)]
    public async Task ConstraintAllowsAmountWithinRule(double amount)
    {
        using var h = new GovernanceHarness(o => CapRefunds(o));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Refund((decimal)amount));

        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task ConstraintDeniesAmountOverRuleQuotingRuleAndMessage()
    {
        using var h = new GovernanceHarness(o => CapRefunds(o));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Refund(900m));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("arguments", outcome.Stage);
        Assert.Contains("break the rule 'amount <= 500' for 'billing/issue_refund'", outcome.Reason, StringComparison.Ordinal);
        Assert.EndsWith(RefundCap, outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task ConstraintWithoutMessageStillQuotesRule()
    {
        using var h = new GovernanceHarness(o => CapRefunds(o, message: null));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Refund(500.01m));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("The arguments break the rule 'amount <= 500' for 'billing/issue_refund'.", outcome.Reason);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task ConstraintReadingMissingArgumentFailsClosed()
    {
        // billing/* covers get_invoice, whose schema has no amount at all.
        using var h = new GovernanceHarness(o => CapRefunds(o, "billing/*"));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("invoice_id", "inv-1")));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("arguments", outcome.Stage);
        Assert.Contains("'amount <= 500'", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("cannot be checked", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("(amount) is missing or of the wrong type", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("400")]
    [InlineData(null)]
    public async Task ConstraintReadingArgumentOfWrongTypeFailsClosed(string? amount)
    {
        // The schema of get_invoice does not forbid extra properties, so only the constraint can stop this.
        using var h = new GovernanceHarness(o => CapRefunds(o, "billing/get_invoice"));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("invoice_id", "inv-1"), ("amount", amount)));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("arguments", outcome.Stage);
        Assert.Contains("cannot be checked", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task ConstraintAppliesOnlyToToolsMatchingItsPattern()
    {
        using var h = new GovernanceHarness(o => CapRefunds(o));
        var counter = new CountingTool();
        var capped = h.Tool(counter.Refund(), "billing");
        var other = h.Tool(counter.Refund(), "policy");

        var denied = await GovernanceHarness.CallAsync(capped, GovernanceHarness.Run(), "call-1", Refund(900m));
        var allowed = await GovernanceHarness.CallAsync(other, GovernanceHarness.Run(), "call-2", Refund(900m));

        Assert.Equal(ToolCallStatus.Denied, denied.Status);
        Assert.Equal(ToolCallStatus.Completed, allowed.Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task EveryMatchingConstraintMustHold()
    {
        using var h = new GovernanceHarness(o =>
        {
            CapRefunds(o, "billing/*");
            o.Constraints.Add(new ArgumentConstraintOptions { Tool = "billing/issue_refund", Rule = "invoice_id != 'inv-frozen'", Message = "That invoice is frozen." });
        });
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var ok = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Refund(100m, "inv-1"));
        var frozen = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-2", Refund(100m, "inv-frozen"));

        Assert.Equal(ToolCallStatus.Completed, ok.Status);
        Assert.Equal(ToolCallStatus.Denied, frozen.Status);
        Assert.Contains("'invoice_id != 'inv-frozen''", frozen.Reason, StringComparison.Ordinal);
        Assert.EndsWith("That invoice is frozen.", frozen.Reason, StringComparison.Ordinal);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task UnparsableConstraintDeniesEveryCall()
    {
        using var h = new GovernanceHarness(o => o.Constraints.Add(new ArgumentConstraintOptions { Tool = "billing/*", Rule = "amount <=" }));
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", Refund(1m));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("policy", outcome.Stage);
        Assert.Contains("Constraints:0:Rule", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }
}
