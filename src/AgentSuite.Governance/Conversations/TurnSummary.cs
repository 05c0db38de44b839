namespace AgentSuite.Governance.Conversations;

/// <summary>Where a turn stands, without its checkpoint.</summary>
public sealed record TurnSummary(string RunId, string Status, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt)
{
    public DateTimeOffset? EndedAt { get; init; }

    public string? ApprovalId { get; init; }

    public string? Reason { get; init; }
}
