namespace AgentSuite.Governance.Budgets;

/// <summary>Model tokens spent per principal per UTC day, kept in the store so budgets survive a restart and are shared by instances on one store.</summary>
public interface ITokenUsageStore
{
    /// <summary>Adds to the principal's count for the day and returns the new total.</summary>
    Task<TokenUsage> AddAsync(string principal, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken = default);

    /// <summary>The principal's count for the day; zero when it spent nothing.</summary>
    Task<TokenUsage> GetAsync(string principal, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Every principal that spent tokens on the day, by name.</summary>
    Task<IReadOnlyList<TokenUsage>> ListAsync(DateOnly day, CancellationToken cancellationToken = default);
}
