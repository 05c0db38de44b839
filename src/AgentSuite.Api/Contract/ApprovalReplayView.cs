namespace AgentSuite.Api.Contract;

/// <summary>
/// A pending call whose idempotency key already completed: approving it does not run the tool again. With the same
/// arguments the stored result is replayed; with others the call is refused.
/// </summary>
internal sealed record ApprovalReplayView(DateTimeOffset? CompletedAt, bool SameArguments, string Message);
