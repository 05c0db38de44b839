namespace AgentSuite.Governance.Cluster;

/// <summary>
/// One instance as the registry last heard of it. <see cref="LastSeen"/> is the store's clock at its last heartbeat;
/// <see cref="Gone"/> when that is longer ago than <see cref="IInstanceRegistry.GoneAfter"/> (stopped, or unreachable).
/// </summary>
public sealed record InstanceRecord(
    string Name,
    DateTimeOffset StartedAt,
    DateTimeOffset LastSeen,
    string? Version,
    string PolicyVersion,
    DateTimeOffset PolicyLoadedAt,
    bool Gone);
