namespace AgentSuite.Browser.Tests.Support;

/// <summary>Every wait in the browser tests ends: a page that never shows what it should fails its test, not the run.</summary>
public static class Timeouts
{
    /// <summary>Waiting for the page to show something, or for the browser to start.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
}
