namespace AgentSuite.Api.Status;

/// <summary>This Api process, as <c>GET /api/status</c> names it: <c>machine/pid</c>, and when it started.</summary>
internal sealed record ApiInstance(string Name, DateTimeOffset StartedAt)
{
    public static ApiInstance Current(TimeProvider time) => new($"{Environment.MachineName}/{Environment.ProcessId}", time.GetUtcNow());
}
