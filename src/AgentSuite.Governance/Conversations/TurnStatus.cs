namespace AgentSuite.Governance.Conversations;

/// <summary>Where a turn stands. Running and waiting turns are active: at most one per conversation, and resumed after a crash.</summary>
public static class TurnStatus
{
    public const string Running = "running";

    /// <summary>Suspended on a person's decision (<see cref="TurnRecord.ApprovalId"/>).</summary>
    public const string Waiting = "waiting";

    public const string Completed = "completed";

    public const string Failed = "failed";

    /// <summary>Could not be resumed after a crash (its checkpoint no longer fits the agents, or it kept failing to resume).</summary>
    public const string Abandoned = "abandoned";

    public static bool IsActive(string status) => status is Running or Waiting;
}
