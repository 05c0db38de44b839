namespace AgentSuite.Governance.Budgets;

/// <summary>A principal has spent its daily token budget: no turn starts and no model call is made for it until the next UTC day.</summary>
public sealed class TokenBudgetExceededException : Exception
{
    public TokenBudgetExceededException()
    {
    }

    public TokenBudgetExceededException(string message)
        : base(message)
    {
    }

    public TokenBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TokenBudgetExceededException(string principal, long spent, long limit, TimeSpan retryAfter)
        : base($"token budget: principal '{principal}' has spent {spent} of its {limit} model tokens for today (UTC) (Governance:Limits:DailyTokens); retry after {Limits.RetryAfter.Seconds(retryAfter)} s, when the day ends.")
    {
        Principal = principal;
        Spent = spent;
        Limit = limit;
        RetryAfter = retryAfter;
    }

    public string Principal { get; } = "";

    public long Spent { get; }

    public long Limit { get; }

    /// <summary>Until the budget renews (the next UTC midnight).</summary>
    public TimeSpan RetryAfter { get; }
}
