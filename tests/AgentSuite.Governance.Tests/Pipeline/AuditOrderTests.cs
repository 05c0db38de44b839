using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Tests.Support;
using AgentSuite.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Pipeline;

/// <summary>
/// The two durability points of a governed call, shown with a slow audit store: the tool runs only once its "allowed"
/// entry is committed, and its result leaves governance only once the outcome entry is committed.
/// </summary>
public sealed class AuditOrderTests
{
    private static readonly TimeSpan SlowDisk = TimeSpan.FromMilliseconds(150);

    private static IAuditStore SlowSqlite(IServiceProvider services) => new SlowAuditStore(services.GetRequiredService<SqliteAuditStore>(), SlowDisk);

    [Fact]
    public async Task ToolRunsOnlyAfterItsAllowedEntryIsCommittedAndNothingElse()
    {
        using var h = new GovernanceHarness(audit: SlowSqlite);
        var slow = (SlowAuditStore)h.Audit;
        IReadOnlyList<string>? seenByTool = null;
        var tool = h.Tool(
            AIFunctionFactory.Create((string invoice_id) => { seenByTool = slow.Durable; return new { invoice = invoice_id }; }, "get_invoice", "Reads an invoice."),
            annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.NotNull(seenByTool);
        Assert.Equal("call-1:allowed", seenByTool[^1]);
        Assert.DoesNotContain("call-1:completed", seenByTool);
    }

    [Fact]
    public async Task ResultIsReturnedOnlyAfterItsOutcomeEntryIsCommitted()
    {
        using var h = new GovernanceHarness(audit: SlowSqlite);
        var slow = (SlowAuditStore)h.Audit;
        var tool = h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(["call-1:allowed", "call-1:completed"], slow.Durable.Where(d => d.StartsWith("call-1:", StringComparison.Ordinal)));
        Assert.Equal("call-1:completed", slow.Durable[^1]);
    }

    [Fact]
    public async Task ResultIsWithheldWhenItsOutcomeEntryCannotBeCommitted()
    {
        using var h = new GovernanceHarness(audit: SlowSqlite);
        var slow = (SlowAuditStore)h.Audit;
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        slow.FailDecision = "completed";

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "call-1", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal(1, counter.Calls);
        Assert.Equal(ToolCallStatus.Failed, outcome.Status);
        Assert.Null(outcome.Result);
        Assert.DoesNotContain("INV-1", outcome.Reason ?? "", StringComparison.Ordinal);
        Assert.Contains("call-1:allowed", slow.Durable);
        Assert.DoesNotContain("call-1:completed", slow.Durable);
    }
}
