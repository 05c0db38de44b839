namespace AgentSuite.Governance;

/// <summary>
/// Something governance did that a person watching the turn should see. <see cref="Type"/> uses the event names of the
/// HTTP contract (<c>tool.requested</c>, <c>tool.decision</c>, <c>approval.pending</c>, ...).
/// </summary>
public sealed record GovernanceEvent(string Type, string Agent, string? Tool, string? ToolCallId, DateTimeOffset At)
{
    /// <summary><c>allowed</c> or <c>denied</c> on <c>tool.decision</c>; <c>approved</c>, <c>denied</c> or <c>timed_out</c> on <c>approval.resolved</c>.</summary>
    public string? Decision { get; init; }

    public string? Reason { get; init; }

    public string? ApprovalId { get; init; }

    /// <summary>On <c>turn.failed</c>: the reply the customer was given although the turn failed (the demo model's honest answer); null when none was.</summary>
    public string? Reply { get; init; }
}
