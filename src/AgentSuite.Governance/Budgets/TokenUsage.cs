namespace AgentSuite.Governance.Budgets;

/// <summary>The model tokens one principal (as the stores record it) spent on one UTC day.</summary>
public sealed record TokenUsage(string Principal, DateOnly Day, long InputTokens, long OutputTokens)
{
    /// <summary>The name the principal last spent under (a token holder's may change); null when only the key is known.</summary>
    public string? Display { get; init; }

    public long TotalTokens => InputTokens + OutputTokens;
}
