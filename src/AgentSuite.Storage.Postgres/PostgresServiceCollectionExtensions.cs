using AgentSuite.Governance.AgentCalls;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Budgets;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Idempotency;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Operations;
using AgentSuite.Governance.Pinning;
using AgentSuite.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="PostgresGovernanceDatabase"/> and every governance store on it, all singletons, for several
    /// Api instances sharing the work. The schema is created or migrated when the database is first resolved.
    /// </summary>
    public static IServiceCollection AddPostgresGovernanceStores(this IServiceCollection services, PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(sp => InstanceIdentity.Current(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<StoreChanges>();
        services.AddSingleton(_ => new PostgresGovernanceDatabase(options));
        services.AddSingleton<IConversationStore, PostgresConversationStore>();
        services.AddSingleton<ITurnStore, PostgresTurnStore>();
        services.AddSingleton<IAgentCallStore, PostgresAgentCallStore>();
        services.AddSingleton<ITokenUsageStore, PostgresTokenUsageStore>();
        services.AddSingleton<IApprovalStore, PostgresApprovalStore>();
        services.AddSingleton<IIdempotencyStore, PostgresIdempotencyStore>();
        services.AddSingleton<IToolPinStore, PostgresToolPinStore>();
        services.AddSingleton<IKillSwitchStore, PostgresKillSwitchStore>();

        // The audit store is disposable (its writer drains on dispose); resolving it by its class lets the container own one instance.
        services.AddSingleton<PostgresAuditStore>();
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<PostgresAuditStore>());
        services.AddSingleton<IAuditAnchorPeers, PostgresAuditAnchorPeers>();
        services.AddSingleton<IOperationsMetrics, PostgresOperationsMetrics>();

        // Other instances' changes arrive over LISTEN/NOTIFY; each instance reports in for the status view.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgresChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeListener>());
        services.AddSingleton<IInstanceRegistry, PostgresInstanceRegistry>();
        services.AddHostedService<InstanceHeartbeatService>();
        services.AddSingleton<AgentSuite.Governance.Limits.ILimitCounters, PostgresLimitCounters>();
        return services;
    }
}
