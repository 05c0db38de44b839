namespace AgentSuite.Governance;

/// <summary>Event and audit kind names; they match the HTTP contract's event types.</summary>
public static class GovernanceEventTypes
{
    public const string AgentStarted = "agent.started";
    public const string MessageDelta = "message.delta";
    public const string MessageCompleted = "message.completed";
    public const string TurnCompleted = "turn.completed";
    public const string TurnFailed = "turn.failed";
    public const string ToolRequested = "tool.requested";
    public const string ToolDecision = "tool.decision";
    public const string ApprovalPending = "approval.pending";
    public const string ApprovalResolved = "approval.resolved";
    public const string ToolCompleted = "tool.completed";
    public const string ToolFailed = "tool.failed";
    public const string ToolReplayed = "tool.replayed";
}
