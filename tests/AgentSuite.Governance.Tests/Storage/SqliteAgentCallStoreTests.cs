using AgentSuite.Governance.AgentCalls;
using AgentSuite.Governance.Tests.Support;
using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Governance.Tests.Storage;

/// <summary>The idempotency keys of calls to served agents: one claim per caller and key, kept across a reopen.</summary>
public sealed class SqliteAgentCallStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 30, 15, 123, TimeSpan.Zero);

    private readonly TempStorageFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheFirstClaimOfAKeyWinsAndEveryLaterOneReadsItsTurn()
    {
        var store = new SqliteAgentCallStore(Open());
        var call = new AgentCall("name:ALICE", "k1", "coordinator", "h1", "", T0);

        Assert.Null(await store.TryClaimAsync(call));
        await store.SetRunAsync("name:ALICE", "k1", "conv_1", "run_1");
        var again = await store.TryClaimAsync(call with { ConversationId = "conv_2" });

        Assert.Equal(call with { ConversationId = "conv_1", RunId = "run_1" }, again);
        Assert.Equal(call with { ConversationId = "conv_1", RunId = "run_1" }, await new SqliteAgentCallStore(Open()).GetAsync("name:ALICE", "k1"));
    }

    [Fact]
    public async Task KeysArePerCallerAndAReleasedClaimFreesTheKey()
    {
        var store = new SqliteAgentCallStore(Open());
        var alices = new AgentCall("name:ALICE", "k1", "coordinator", "h1", "conv_1", T0);

        Assert.Null(await store.TryClaimAsync(alices));
        Assert.Null(await store.TryClaimAsync(alices with { Caller = "sub:bob-123", ConversationId = "conv_2" }));
        await store.ReleaseAsync("name:ALICE", "k1");

        Assert.Null(await store.GetAsync("name:ALICE", "k1"));
        Assert.Equal("conv_2", (await store.GetAsync("sub:bob-123", "k1"))?.ConversationId);
    }

    [Fact]
    public async Task AClaimWithItsTurnOnRecordIsNeverReleased()
    {
        var store = new SqliteAgentCallStore(Open());
        await store.TryClaimAsync(new AgentCall("name:ALICE", "k1", "coordinator", "h1", "conv_1", T0));
        await store.SetRunAsync("name:ALICE", "k1", "conv_1", "run_1");

        await store.ReleaseAsync("name:ALICE", "k1");

        Assert.Equal("run_1", (await store.GetAsync("name:ALICE", "k1"))?.RunId);
    }

    private SqliteGovernanceDatabase Open() =>
        new(new SqliteStorageOptions { ConnectionString = _temp.ConnectionString("gov.db") });
}
