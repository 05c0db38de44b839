using System.Reflection;

namespace AgentSuite.Governance.Cluster;

/// <summary>
/// This process among the instances sharing one store: <c>machine/pid/nonce</c>, unique for the life of the process (a
/// restarted process is a new instance), and when it started. Stores that lease work (turns) lease it to this name, and
/// the status view lists instances by it.
/// </summary>
public sealed record InstanceIdentity(string Name, DateTimeOffset StartedAt)
{
    /// <summary>The version of the program this instance runs (its entry assembly's informational version), when it has one.</summary>
    public string? Version { get; init; }

    public static InstanceIdentity Current(TimeProvider time) =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}", time.GetUtcNow())
        {
            Version = ProgramVersion(),
        };

    // The build's informational version, without the source revision that SourceLink appends after '+'.
    private static string? ProgramVersion() =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { Length: > 0 } version
            ? version.Split('+')[0]
            : null;
}
