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

    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Comment { get; init; }
}
