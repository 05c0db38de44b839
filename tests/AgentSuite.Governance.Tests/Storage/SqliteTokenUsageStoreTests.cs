using AgentSuite.Governance.Tests.Support;
using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Governance.Tests.Storage;

/// <summary>Tokens per principal per UTC day: added up in place, per day, and kept across a reopen (a restart, another instance on the file).</summary>
public sealed class SqliteTokenUsageStoreTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private readonly TempStorageFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UsageAddsUpPerPrincipalAndDayAndSurvivesAReopen()
    {
        var store = new SqliteTokenUsageStore(Open());

        await store.AddAsync("agent-7", Today, 100, 20);
        var total = await store.AddAsync("agent-7", Today, 50, 5);
        await store.AddAsync("alice", Today, 1, 1);
        await store.AddAsync("agent-7", Today.AddDays(-1), 999, 999);

        Assert.Equal((150L, 25L, 175L), (total.InputTokens, total.OutputTokens, total.TotalTokens));
        var reopened = new SqliteTokenUsageStore(Open());
        Assert.Equal(175, (await reopened.GetAsync("agent-7", Today)).TotalTokens);
        Assert.Equal(0, (await reopened.GetAsync("bob", Today)).TotalTokens);
        Assert.Equal(["agent-7", "alice"], (await reopened.ListAsync(Today)).Select(u => u.Principal));
    }

    [Fact]
    public async Task ConcurrentAddsFromTwoStoresOnOneFileLoseNothing()
    {
        var first = new SqliteTokenUsageStore(Open());
        var second = new SqliteTokenUsageStore(Open());

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? first : second).AddAsync("agent-7", Today, 10, 1)));

        Assert.Equal((400L, 40L), ((await first.GetAsync("agent-7", Today)).InputTokens, (await second.GetAsync("agent-7", Today)).OutputTokens));
    }

    private SqliteGovernanceDatabase Open() =>
        new(new SqliteStorageOptions { ConnectionString = _temp.ConnectionString("gov.db") });
}
