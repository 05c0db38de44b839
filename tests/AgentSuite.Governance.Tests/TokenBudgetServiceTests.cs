using AgentSuite.Governance.Budgets;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests;

/// <summary>Daily token budgets kept under a principal's stable key in the real SQLite store.</summary>
public sealed class TokenBudgetServiceTests
{
    [Fact]
    public async Task ATokenHolderRenamedMidDayKeepsOneBudgetAndTheStatusShowsItsLatestName()
    {
        using var h = new GovernanceHarness(o => o.Limits.DailyTokens = 10);
        var budgets = h.Services.GetRequiredService<TokenBudgetService>();
        var before = new Principal(Principal.Recorded("Alice", "sub-1"), Roles.User) { Subject = "sub-1" };
        var renamed = new Principal(Principal.Recorded("Alice Smith", "sub-1"), Roles.User) { Subject = "sub-1" };

        await budgets.RecordAsync(before, 4, 2);
        await budgets.RecordAsync(renamed, 3, 1);

        var refused = await Assert.ThrowsAsync<TokenBudgetExceededException>(() => budgets.ThrowIfExceededAsync(renamed, "turn"));
        Assert.Equal((10L, 10L), (refused.Spent, refused.Limit));
        var today = Assert.Single(await budgets.TodayAsync());
        Assert.Equal(("Alice Smith (sub-1)", 7L, 3L), (today.Principal, today.InputTokens, today.OutputTokens));
    }

    [Fact]
    public async Task AKeysNameIsCountedIgnoringCaseAsItsLimitsAreMatched()
    {
        using var h = new GovernanceHarness(o => o.Limits.DailyTokens = 10);
        var budgets = h.Services.GetRequiredService<TokenBudgetService>();

        await budgets.RecordAsync(new Principal("alice", Roles.User), 6, 0);
        await budgets.RecordAsync(new Principal("ALICE", Roles.User), 4, 0);

        await Assert.ThrowsAsync<TokenBudgetExceededException>(() => budgets.ThrowIfExceededAsync(new Principal("Alice", Roles.User), "turn"));
    }
}
