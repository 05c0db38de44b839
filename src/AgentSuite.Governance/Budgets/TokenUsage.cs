namespace AgentSuite.Governance.Budgets;

/// <summary>The model tokens one principal (as the stores record it) spent on one UTC day.</summary>
public sealed record TokenUsage(string Principal, DateOnly Day, long InputTokens, long OutputTokens)
{
    public long TotalTokens => InputTokens + OutputTokens;
}
