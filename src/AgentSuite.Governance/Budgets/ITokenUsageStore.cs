namespace AgentSuite.Governance.Budgets;

/// <summary>Model tokens spent per principal per UTC day, kept in the store so budgets survive a restart and are shared by instances on one store.</summary>
public interface ITokenUsageStore
{
    /// <summary>Adds to the principal's count for the day and returns the new total.</summary>
    Task<TokenUsage> AddAsync(string principal, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="AddAsync(string, DateOnly, long, long, CancellationToken)"/>, keeping <paramref name="display"/> as the name the status shows for <paramref name="principal"/> (a key).</summary>
    Task<TokenUsage> AddAsync(string principal, string display, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken = default) =>
        AddAsync(principal, day, inputTokens, outputTokens, cancellationToken);

    /// <summary>The principal's count for the day; zero when it spent nothing.</summary>
    Task<TokenUsage> GetAsync(string principal, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Every principal that spent tokens on the day, by name.</summary>
    Task<IReadOnlyList<TokenUsage>> ListAsync(DateOnly day, CancellationToken cancellationToken = default);
}
