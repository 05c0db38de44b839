using AgentSuite.Governance.Configuration;

namespace AgentSuite.Governance.Cluster;

/// <summary>The registry of a store that one process owns (SQLite): this instance alone, seen now, with the policy in force.</summary>
public sealed class LocalInstanceRegistry(InstanceIdentity instance, GovernancePolicyProvider policies, TimeProvider time) : IInstanceRegistry
{
    public Task HeartbeatAsync(InstanceHeartbeat heartbeat, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<InstanceRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var policy = policies.Version;
        IReadOnlyList<InstanceRecord> list = [new InstanceRecord(instance.Name, instance.StartedAt, time.GetUtcNow(), instance.Version, policy.Version, policy.LoadedAt, Gone: false)];
        return Task.FromResult(list);
    }
}
