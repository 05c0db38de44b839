namespace AgentSuite.Governance;

/// <summary>How a call relates to a crash: most calls are new; a resumed turn re-presents the calls that were under way.</summary>
public enum ToolCallResumption
{
    None,

    /// <summary>
    /// The call was under way when the process stopped. A claim left pending under its idempotency key is its own earlier
    /// attempt, whose outcome is unknown: it is never run again (no lease is waited out, since its holder is gone).
    /// </summary>
    Interrupted,

    /// <summary>
    /// The call was under way and its work continues now (a hand-off whose specialist is resumed, each of whose own calls
    /// is governed again): a claim left pending under its key is taken over, and completed with the new result.
    /// </summary>
    Continued,
}
