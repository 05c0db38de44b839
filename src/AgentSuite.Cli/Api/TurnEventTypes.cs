namespace AgentSuite.Cli.Api;

/// <summary>The event types of a turn (docs/api.md).</summary>
public static class TurnEventTypes
{
    public const string AgentStarted = "agent.started";
    public const string ToolRequested = "tool.requested";
    public const string ToolDecision = "tool.decision";
    public const string ApprovalPending = "approval.pending";
    public const string ApprovalResolved = "approval.resolved";
    public const string ToolCompleted = "tool.completed";
    public const string ToolFailed = "tool.failed";
    public const string MessageDelta = "message.delta";
    public const string MessageCompleted = "message.completed";
    public const string TurnCompleted = "turn.completed";
    public const string TurnFailed = "turn.failed";
    public const string TurnResumed = "turn.resumed";

    /// <summary>True for the event that ends a turn's stream.</summary>
    public static bool IsTerminal(string type) => type is TurnCompleted or TurnFailed;
}
