namespace AgentSuite.Governance;

/// <summary>Event and audit kind names; they match the HTTP contract's event types.</summary>
public static class GovernanceEventTypes
{
    public const string AgentStarted = "agent.started";
    public const string MessageDelta = "message.delta";
    public const string MessageCompleted = "message.completed";
    public const string TurnCompleted = "turn.completed";
    public const string TurnFailed = "turn.failed";

    /// <summary>A turn picked up again from its checkpoint after the process that ran it stopped (audit entry and event).</summary>
    public const string TurnResumed = "turn.resumed";

    /// <summary>
    /// A turn this instance stopped running because another instance took it over (its lease here expired); an event of
    /// the live stream only, which ends with it: the turn goes on on the other instance.
    /// </summary>
    public const string TurnMoved = "turn.moved";

    /// <summary>A turn that could not be resumed and was ended (audit entry and event).</summary>
    public const string TurnAbandoned = "turn.abandoned";
    public const string ToolRequested = "tool.requested";
    public const string ToolDecision = "tool.decision";
    public const string ApprovalPending = "approval.pending";
    public const string ApprovalResolved = "approval.resolved";
    public const string ToolCompleted = "tool.completed";
    public const string ToolFailed = "tool.failed";
    public const string ToolReplayed = "tool.replayed";

    /// <summary>A turn or model call refused because its principal spent its daily token budget (audit entry).</summary>
    public const string BudgetExceeded = "budget.exceeded";

    /// <summary>An <c>ask_NAME</c> call arriving at the front door, admitted or refused (audit entry).</summary>
    public const string AgentCallReceived = "agent_call.received";

    /// <summary>A turn refused at its start: the governance policy is in error, or a <c>global</c>/<c>principal:NAME</c> kill switch stops its principal (audit entry).</summary>
    public const string TurnRefused = "turn.refused";
}
