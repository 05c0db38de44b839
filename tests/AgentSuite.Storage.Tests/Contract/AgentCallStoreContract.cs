using AgentSuite.Governance.AgentCalls;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>The idempotency keys of calls to served agents on every store: one claim per caller and key, whichever instance is asked.</summary>
public abstract class AgentCallStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 12, 6, 9, 30, 15, 123, TimeSpan.Zero).AddTicks(4560);

    private IAgentCallStore Store => Backend.Get<IAgentCallStore>();

    [Fact]
    public async Task TheFirstClaimOfAKeyWinsAndEveryLaterOneReadsItsTurn()
    {
        var call = new AgentCall("name:ALICE", "k1", "coordinator", "h1", "", T0);

        Assert.Null(await Store.TryClaimAsync(call));
        await Store.SetRunAsync("name:ALICE", "k1", "conv_1", "run_1");
        var again = await Store.TryClaimAsync(call with { ConversationId = "conv_2" });

        Assert.Equal(call with { ConversationId = "conv_1", RunId = "run_1" }, again);
        await using var second = await Backend.SecondInstanceAsync();
        Assert.Equal(call with { ConversationId = "conv_1", RunId = "run_1" }, await second.Get<IAgentCallStore>().GetAsync("name:ALICE", "k1"));
    }

    [Fact]
    public async Task KeysArePerCallerAndAReleasedClaimFreesTheKey()
    {
        var alices = new AgentCall("name:ALICE", "k1", "coordinator", "h1", "conv_1", T0);

        Assert.Null(await Store.TryClaimAsync(alices));
        Assert.Null(await Store.TryClaimAsync(alices with { Caller = "sub:bob-123", ConversationId = "conv_2" }));
        await Store.ReleaseAsync("name:ALICE", "k1");

        Assert.Null(await Store.GetAsync("name:ALICE", "k1"));
        Assert.Equal("conv_2", (await Store.GetAsync("sub:bob-123", "k1"))?.ConversationId);
        Assert.Null(await Store.TryClaimAsync(alices with { RequestHash = "h2" }));
        Assert.Equal("h2", (await Store.GetAsync("name:ALICE", "k1"))?.RequestHash);
    }

    [Fact]
    public async Task AClaimWithItsTurnOnRecordIsNeverReleased()
    {
        await Store.TryClaimAsync(new AgentCall("name:ALICE", "k1", "coordinator", "h1", "conv_1", T0));
        await Store.SetRunAsync("name:ALICE", "k1", "conv_1", "run_1");

        await Store.ReleaseAsync("name:ALICE", "k1");

        Assert.Equal("run_1", (await Store.GetAsync("name:ALICE", "k1"))?.RunId);
    }

    [Fact]
    public async Task ConcurrentClaimsOfOneKeyFromTwoInstancesHaveExactlyOneWinner()
    {
        await using var second = await Backend.SecondInstanceAsync();
        var stores = new[] { Store, second.Get<IAgentCallStore>() };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            stores[i % 2].TryClaimAsync(new AgentCall("sub:bob-123", "refund-INV-1", "billing", $"h{i}", "", T0.AddSeconds(i))))));

        Assert.Single(results, r => r is null);
        var winner = await Store.GetAsync("sub:bob-123", "refund-INV-1");
        Assert.NotNull(winner);
        Assert.All(results.OfType<AgentCall>(), loser => Assert.Equal(winner, loser));
        Assert.Equal(winner.RequestHash, $"h{results.ToList().IndexOf(null)}");
    }
}
