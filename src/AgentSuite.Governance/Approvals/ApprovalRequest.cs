namespace AgentSuite.Governance.Approvals;

/// <summary>
/// A tool call waiting for a person. It is bound to the exact arguments by <see cref="ArgumentsHash"/>: approving it
/// releases that call with those arguments and nothing else.
/// </summary>
public sealed record ApprovalRequest
{
    public required string Id { get; init; }

    public required string ConversationId { get; init; }

    public required string RunId { get; init; }

    public required string ToolCallId { get; init; }

    public required string Agent { get; init; }

    /// <summary><c>server/tool</c>.</summary>
    public required string Tool { get; init; }

    /// <summary>The arguments as canonical JSON, exactly as they will run.</summary>
    public required string Arguments { get; init; }

    public required string ArgumentsHash { get; init; }

    public required string RequestedBy { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Why approval is needed (the rule's reason).</summary>
    public required string Reason { get; init; }

    /// <summary>The user's message that started the turn (the customer's request), redacted and capped (<see cref="CustomerRequest"/>), when the caller knew it.</summary>
    public string? Request { get; init; }

    /// <summary>The agents from the one the user talks to down to <see cref="Agent"/>, e.g. <c>["coordinator", "billing"]</c>.</summary>
    public IReadOnlyList<string> AgentPath { get; init; } = [];

    /// <summary>The key the idempotency stage will use for the call (null for a read-only tool): a completed key means a replay.</summary>
    public string? IdempotencyKey { get; init; }

    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Comment { get; init; }
}
