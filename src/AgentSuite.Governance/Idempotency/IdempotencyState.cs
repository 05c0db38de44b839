namespace AgentSuite.Governance.Idempotency;

public enum IdempotencyState
{
    /// <summary>A call holds the key and is running (or died while running).</summary>
    Pending,

    /// <summary>The call completed; its result is stored.</summary>
    Completed,

    /// <summary>The call started but its outcome could not be recorded; it may or may not have taken effect.</summary>
    Unknown,
}
