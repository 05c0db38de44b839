namespace AgentSuite.Governance.Idempotency;

public sealed record IdempotencyRecord(
    string Key,
    string Tool,
    string ArgumentsHash,
    IdempotencyState State,
    DateTimeOffset ClaimedAt,
    string? ResultJson,
    string? Note);
