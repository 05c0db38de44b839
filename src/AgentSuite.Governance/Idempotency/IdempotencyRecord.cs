namespace AgentSuite.Governance.Idempotency;

public sealed record IdempotencyRecord(
    string Key,
    string Tool,
    string ArgumentsHash,
    IdempotencyState State,
    DateTimeOffset ClaimedAt,
    string? ResultJson,
    string? Note)
{
    /// <summary>When the call completed (null while pending, for an unknown outcome, or for a record older than this field).</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
