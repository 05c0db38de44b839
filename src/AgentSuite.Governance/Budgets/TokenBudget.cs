namespace AgentSuite.Governance.Budgets;

/// <summary>One principal's spending today against its daily budget; <see cref="Limit"/> is null when unlimited.</summary>
public sealed record TokenBudget(string Principal, DateOnly Day, long InputTokens, long OutputTokens, long? Limit)
{
    public long Spent => InputTokens + OutputTokens;

    public bool Exceeded => Limit is { } limit && Spent >= limit;
}
