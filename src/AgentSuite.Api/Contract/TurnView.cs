namespace AgentSuite.Api.Contract;

/// <summary>
/// A conversation's latest turn: <c>running</c>, <c>waiting</c> (on <see cref="ApprovalId"/>), <c>completed</c>,
/// <c>failed</c> or <c>abandoned</c> (it could not be resumed after a crash; <see cref="Reason"/> says why).
/// </summary>
internal sealed record TurnView(string RunId, string Status, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt)
{
    public DateTimeOffset? EndedAt { get; init; }

    public string? ApprovalId { get; init; }

    public string? Reason { get; init; }

    /// <summary>The number of the turn's last event; re-attach with <c>Last-Event-ID</c> to read only what came after.</summary>
    public long LastEventId { get; init; }
}
