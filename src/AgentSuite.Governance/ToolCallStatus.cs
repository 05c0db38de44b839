namespace AgentSuite.Governance;

public enum ToolCallStatus
{
    /// <summary>The tool ran and returned a result.</summary>
    Completed,

    /// <summary>The tool ran (or was started) and failed.</summary>
    Failed,

    /// <summary>Governance refused the call; the tool did not run.</summary>
    Denied,

    /// <summary>A duplicate of a call that already ran; the stored result was returned and the tool did not run again.</summary>
    Replayed,
}
