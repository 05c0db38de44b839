namespace AgentSuite.Governance.Cluster;

/// <summary>
/// The Api instances sharing one store, for the status view: each reports in every <see cref="HeartbeatInterval"/>
/// with the policy version it runs. On a store of one process it is this instance alone.
/// </summary>
public interface IInstanceRegistry
{
    /// <summary>How often an instance reports in.</summary>
    static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>An instance not heard of for this long is shown as gone.</summary>
    static readonly TimeSpan GoneAfter = TimeSpan.FromMinutes(1);

    /// <summary>An instance not heard of for this long is removed from the list.</summary>
    static readonly TimeSpan PruneAfter = TimeSpan.FromDays(1);

    /// <summary>Records <paramref name="heartbeat"/> as this instance's latest word, seen now.</summary>
    Task HeartbeatAsync(InstanceHeartbeat heartbeat, CancellationToken cancellationToken = default);

    /// <summary>Every instance heard of within <see cref="PruneAfter"/>, the most recently started first.</summary>
    Task<IReadOnlyList<InstanceRecord>> ListAsync(CancellationToken cancellationToken = default);
}
