namespace AgentSuite.Cli;

/// <summary>What the <c>agentsuite</c> process returns, so scripts can tell outcomes apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The Api said no (a problem detail), the turn failed, the audit chain does not verify, or the command line was wrong.</summary>
    public const int Failed = 1;

    /// <summary>Nothing answered at the Api's URL.</summary>
    public const int Unreachable = 2;

    /// <summary>Stopped by Ctrl+C.</summary>
    public const int Cancelled = 130;
}
