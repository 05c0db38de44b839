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
        Assert.Contains($"$.amount: expected type number, found {found}", outcome.Reason, StringComparison.Ordinal);
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

    [Fact]
    public async Task IfThenElseDenialIsAuditedNamingFieldAndRule()
    {
        using var h = new GovernanceHarness();
        var inner = new SchemaTool("pay", """
            {
              "type": "object",
              "properties": { "method": { "enum": ["card", "bank"] }, "last4": { "type": "string" }, "iban": { "type": "string" } },
              "required": ["method"],
              "if": { "properties": { "method": { "const": "card" } } },
              "then": { "required": ["last4"] },
              "else": { "required": ["iban"] }
            }
            """);
        var tool = h.Tool(inner);

        var card = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("method", "card"), ("iban", "NO9386011117947")));
        var bank = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-2", CountingTool.Args(("method", "bank"), ("iban", "NO9386011117947")));

        Assert.Equal(ToolCallStatus.Denied, card.Status);
        Assert.Equal("arguments", card.Stage);
        Assert.Equal("The arguments do not match the schema of 'billing/pay': $: missing required property 'last4'.", card.Reason);
        Assert.Equal(ToolCallStatus.Completed, bank.Status);
        Assert.Equal(1, inner.Calls);
        var denied = Assert.Single(await h.AuditAsync("conv-1"), r => r.Entry.Decision == "denied");
        Assert.Equal(card.Reason, denied.Entry.Reason);
    }

    [Fact]
    public async Task ContainsDenialIsAuditedNamingFieldAndRuleWithoutTheValue()
    {
        using var h = new GovernanceHarness();
        var inner = new SchemaTool("notify", """
            {
              "type": "object",
              "properties": { "recipients": { "type": "array", "items": { "type": "string" }, "contains": { "pattern": "@example\\.com$" } } },
              "required": ["recipients"]
            }
            """);
        var tool = h.Tool(inner);
        var outsider = "someone.with.a.very.long.private.address@elsewhere.test";

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("recipients", new[] { outsider })));
        var allowed = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-2", CountingTool.Args(("recipients", new[] { outsider, "ops@example.com" })));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Contains("$.recipients: expected at least 1 items matching the contains schema (contains, minContains), found 0", outcome.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(outsider, outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(ToolCallStatus.Completed, allowed.Status);
        Assert.Equal(1, inner.Calls);
        var denied = Assert.Single(await h.AuditAsync("conv-1"), r => r.Entry.Decision == "denied");
        Assert.Equal(outcome.Reason, denied.Entry.Reason);
        Assert.Equal("arguments", denied.Entry.Data!.Value.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task MinPropertiesDenialIsAuditedNamingFieldAndRule()
    {
        using var h = new GovernanceHarness();
        var inner = new SchemaTool("update_customer", """
            {
              "type": "object",
              "properties": { "id": { "type": "string" }, "changes": { "type": "object", "minProperties": 1, "maxProperties": 3 } },
              "required": ["id", "changes"]
            }
            """);
        var tool = h.Tool(inner);

        var empty = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("id", "c-1"), ("changes", new Dictionary<string, string>())));
        var one = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-2", CountingTool.Args(("id", "c-1"), ("changes", new Dictionary<string, string> { ["email"] = "a@b.c" })));

        Assert.Equal(ToolCallStatus.Denied, empty.Status);
        Assert.Equal("The arguments do not match the schema of 'billing/update_customer': $.changes: expected at least 1 properties (minProperties), found 0.", empty.Reason);
        Assert.Equal(ToolCallStatus.Completed, one.Status);
        Assert.Equal(1, inner.Calls);
        var denied = Assert.Single(await h.AuditAsync("conv-1"), r => r.Entry.Decision == "denied");
        Assert.Equal(empty.Reason, denied.Entry.Reason);
    }

    [Fact]
    public async Task LongArgumentValueIsNeverQuotedWholeInTheDenial()
    {
        using var h = new GovernanceHarness();
        var inner = new SchemaTool("lookup", """{ "type": "object", "properties": { "code": { "type": "string", "pattern": "^[A-Z]{3}$" } } }""");
        var tool = h.Tool(inner);
        var secret = "sk-" + new string('Q', 120);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("code", secret)));

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Contains("$.code:", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("does not match the pattern \"^[A-Z]{3}$\"", outcome.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[..41], outcome.Reason, StringComparison.Ordinal);
        var denied = Assert.Single(await h.AuditAsync("conv-1"), r => r.Entry.Decision == "denied");
        Assert.DoesNotContain(secret[..41], denied.Entry.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": "strng" } } }""", "strng")]
    [InlineData("""{ "$schema": "https://example.com/my-dialect", "type": "object" }""", "$schema")]
    [InlineData("""{ "type": "object", "properties": { "a": { "$ref": "https://example.com/a.json" } } }""", "$ref")]
    [InlineData("""{ "type": "object", "properties": { "a": { "$ref": "#/$defs/missing" } } }""", "$ref")]
    [InlineData("""{ "not": { "$ref": "#" } }""", "$ref")]
    [InlineData("""[ "not", "a", "schema" ]""", "not a JSON object")]
    public async Task UnusableSchemaFailsClosedWithAClearDenial(string schema, string named)
    {
        using var h = new GovernanceHarness();
        var inner = new SchemaTool("shady", schema);
        var tool = h.Tool(inner);

        var first = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("a", 1)));
        var second = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-2", CountingTool.Args(("a", 1)));

        Assert.Equal(ToolCallStatus.Denied, first.Status);
        Assert.Equal("arguments", first.Stage);
        Assert.StartsWith("The input schema of 'billing/shady' cannot be used, so its calls are denied: ", first.Reason, StringComparison.Ordinal);
        Assert.Contains(named, first.Reason, StringComparison.Ordinal);
        Assert.Equal(first.Reason, second.Reason);
        Assert.Equal(0, inner.Calls);
        Assert.All(await h.AuditAsync("conv-1"), r => Assert.Equal("denied", r.Entry.Decision));
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
