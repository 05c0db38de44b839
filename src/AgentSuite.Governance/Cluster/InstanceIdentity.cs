namespace AgentSuite.Governance.Cluster;

/// <summary>
/// This process among the instances sharing one store: <c>machine/pid/nonce</c>, unique for the life of the process (a
/// restarted process is a new instance), and when it started. Stores that lease work (turns) lease it to this name.
/// </summary>
public sealed record InstanceIdentity(string Name, DateTimeOffset StartedAt)
{
    public static InstanceIdentity Current(TimeProvider time) =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}", time.GetUtcNow());
}
