namespace AgentSuite.Governance.Limits;

/// <summary>A wait as the refusals say it: whole seconds, rounded up, at least one.</summary>
public static class RetryAfter
{
    public static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
}
