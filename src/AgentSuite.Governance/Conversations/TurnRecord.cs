namespace AgentSuite.Governance.Conversations;

/// <summary>
/// One turn of a conversation as the store keeps it: who asked, where it stands, and its checkpoint
/// (<see cref="State"/>, written by the agents layer at each step and read back to resume the turn after a crash).
/// </summary>
public sealed record TurnRecord(string ConversationId, string RunId, string Principal, string Status, DateTimeOffset StartedAt)
{
    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why a turn failed or was abandoned.</summary>
    public string? Reason { get; init; }

    /// <summary>The approval a waiting turn is suspended on.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>The checkpoint as JSON; opaque to the store.</summary>
    public string State { get; init; } = "{}";

    /// <summary>
    /// On a leasing store, which claim of the turn this record was started or claimed under (0 at the start, one more
    /// at every claim); the store fences the turn's writes by it. Always 0 on a store of one process.
    /// </summary>
    public long LeaseEpoch { get; init; }
}
