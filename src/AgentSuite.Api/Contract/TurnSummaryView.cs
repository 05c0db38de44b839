namespace AgentSuite.Api.Contract;

/// <summary>A listed conversation's latest turn: <c>running</c>, <c>waiting</c> (on <see cref="ApprovalId"/>), <c>completed</c>, <c>failed</c> or <c>abandoned</c>.</summary>
internal sealed record TurnSummaryView(string RunId, string Status, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt)
{
    public DateTimeOffset? EndedAt { get; init; }

    public string? ApprovalId { get; init; }

    public string? Reason { get; init; }
}
