using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Limits;
using AgentSuite.Governance.Tests.Support;
using AgentSuite.Storage.Postgres;
using AgentSuite.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Filters;

/// <summary>
/// The limits stage of two instances whose counters are in one PostgreSQL database (as <c>AddPostgresGovernanceStores</c>
/// registers them): each instance is the real pipeline, and a conversation, run or principal whose calls alternate
/// between them is limited as if one instance served it.
/// </summary>
public sealed class LimitsAcrossInstancesTests
{
    private static Dictionary<string, object?> Invoice(string id) => CountingTool.Args(("invoice_id", id));

    [Fact]
    public async Task LoopSpreadOverTwoInstancesIsStoppedAtTheLimit()
    {
        var (a, b) = await TwoInstancesAsync(o => o.Limits.MaxIdenticalCallsPerRun = 2);
        using (a)
        using (b)
        {
            var counter = new CountingTool();
            var tools = new[] { a.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly), b.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly) };

            var outcomes = new List<ToolCallOutcome>();
            for (var i = 0; i < 4; i++)
            {
                outcomes.Add(await GovernanceHarness.CallAsync(tools[i % 2], GovernanceHarness.Run(), $"call_{i}", Invoice("inv-1")));
            }

            Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Denied, ToolCallStatus.Denied], outcomes.Select(o => o.Status));
            Assert.Equal("limits", outcomes[2].Stage);
            Assert.Contains("'billing/get_invoice' was called 3 times with the same arguments in this run (limit 2)", outcomes[2].Reason, StringComparison.Ordinal);
            Assert.Equal(2, counter.Calls);
        }
    }

    [Fact]
    public async Task ConversationAndPrincipalLimitsCountTheCallsOfBothInstances()
    {
        var (a, b) = await TwoInstancesAsync(o =>
        {
            o.Limits.PerConversationPerMinute = 3;
            o.Limits.PerPrincipalPerMinute = 4;
        });
        using (a)
        using (b)
        {
            var counter = new CountingTool();
            var tools = new[] { a.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly), b.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly) };

            var conversation = new List<ToolCallStatus>();
            for (var i = 0; i < 4; i++)
            {
                conversation.Add((await GovernanceHarness.CallAsync(tools[i % 2], GovernanceHarness.Run(conversation: "conv-1", run: "run-1"), $"c{i}", Invoice($"inv-{i}"))).Status);
            }

            // The principal has made 3 calls; one more is allowed in another conversation, on either instance.
            var elsewhere = await GovernanceHarness.CallAsync(tools[1], GovernanceHarness.Run(conversation: "conv-2", run: "run-2"), "d1", Invoice("inv-9"));
            var overPrincipal = await GovernanceHarness.CallAsync(tools[0], GovernanceHarness.Run(conversation: "conv-3", run: "run-3"), "d2", Invoice("inv-9"));

            Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Denied], conversation);
            Assert.Contains("more than 3 tool calls per minute in this conversation", (await LastDenialAsync(b, "conv-1")).Reason, StringComparison.Ordinal);
            Assert.Equal(ToolCallStatus.Completed, elsewhere.Status);
            Assert.Equal(ToolCallStatus.Denied, overPrincipal.Status);
            Assert.Matches(@"^Rate limit: more than 4 tool calls per minute on behalf of 'alice' \(Governance:Limits:PerPrincipalPerMinute\); retry after \d+ s\.$", overPrincipal.Reason);
            Assert.Equal(4, counter.Calls);
        }
    }

    private static async Task<(GovernanceHarness A, GovernanceHarness B)> TwoInstancesAsync(Action<GovernanceOptions> configure)
    {
        var connectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("limits");
        GovernanceHarness Instance() => new(configure, overrideServices: s =>
        {
            s.AddSingleton(_ => new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString }));
            s.AddSingleton<ILimitCounters, PostgresLimitCounters>();
        });
        return (Instance(), Instance());
    }

    private static async Task<AgentSuite.Governance.Audit.AuditEntry> LastDenialAsync(GovernanceHarness instance, string conversation) =>
        (await instance.AuditAsync(conversation)).Last(r => r.Entry.Decision == "denied").Entry;
}
