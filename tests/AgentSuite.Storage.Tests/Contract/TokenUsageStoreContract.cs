using AgentSuite.Governance.Budgets;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>Tokens per principal per UTC day on every store: added up in place, per day, and shared by every instance on the store.</summary>
public abstract class TokenUsageStoreContract : StoreContract
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private ITokenUsageStore Store => Backend.Get<ITokenUsageStore>();

    [Fact]
    public async Task UsageAddsUpPerPrincipalAndDayAndAnotherInstanceSeesIt()
    {
        await Store.AddAsync("agent-7", Today, 100, 20);
        var total = await Store.AddAsync("agent-7", Today, 50, 5);
        await Store.AddAsync("alice", Today, 1, 1);
        await Store.AddAsync("agent-7", Today.AddDays(-1), 999, 999);

        Assert.Equal((150L, 25L, 175L), (total.InputTokens, total.OutputTokens, total.TotalTokens));
        await using var second = await Backend.SecondInstanceAsync();
        var other = second.Get<ITokenUsageStore>();
        Assert.Equal(175, (await other.GetAsync("agent-7", Today)).TotalTokens);
        Assert.Equal(1998, (await other.GetAsync("agent-7", Today.AddDays(-1))).TotalTokens);
        Assert.Equal(0, (await other.GetAsync("bob", Today)).TotalTokens);
        Assert.Equal(["agent-7", "alice"], (await other.ListAsync(Today)).Select(u => u.Principal));
        Assert.Empty(await other.ListAsync(Today.AddDays(1)));
    }

    [Fact]
    public async Task TheListShowsTheNameEachKeyLastSpentUnder()
    {
        await Store.AddAsync("sub:a-1", "Alice (a-1)", Today, 10, 1);
        var renamed = await Store.AddAsync("sub:a-1", "Alice Married-Name (a-1)", Today, 10, 1);
        await Store.AddAsync("Bob", Today, 5, 5);

        Assert.Equal("Alice Married-Name (a-1)", renamed.Display);
        Assert.Equal(
            [("Bob", "Bob", 10L), ("sub:a-1", "Alice Married-Name (a-1)", 22L)],
            (await Store.ListAsync(Today)).Select(u => (u.Principal, u.Display, u.TotalTokens)));
    }

    [Fact]
    public async Task ConcurrentAddsFromTwoInstancesSumExactly()
    {
        await using var second = await Backend.SecondInstanceAsync();
        var stores = new[] { Store, second.Get<ITokenUsageStore>() };

        var totals = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => stores[i % 2].AddAsync("agent-7", Today, 10, 1))));

        Assert.Equal((400L, 40L), ((await Store.GetAsync("agent-7", Today)).InputTokens, (await stores[1].GetAsync("agent-7", Today)).OutputTokens));

        // Each add returned its own running total: every one from 11 to 440 once.
        Assert.Equal(Enumerable.Range(1, 40).Select(n => n * 11L), totals.Select(t => t.TotalTokens).Order());
    }
}
