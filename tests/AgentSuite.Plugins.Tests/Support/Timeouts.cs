namespace AgentSuite.Plugins.Tests.Support;

/// <summary>Every wait in these tests has an end, so a stuck server fails a test instead of hanging the run.</summary>
public static class Timeouts
{
    /// <summary>Starting a plugin process and connecting to it.</summary>
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(60);

    /// <summary>One tool call or listing.</summary>
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(30);

    public static CancellationToken CallToken() => new CancellationTokenSource(Call).Token;
}
