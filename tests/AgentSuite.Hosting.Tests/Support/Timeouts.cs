namespace AgentSuite.Hosting.Tests.Support;

/// <summary>Every wait has an end, so a stuck process fails a test instead of hanging the run.</summary>
public static class Timeouts
{
    /// <summary>Starting a process until its health endpoint answers, or connecting to it.</summary>
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(60);

    /// <summary>One MCP call or listing.</summary>
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(30);
}
