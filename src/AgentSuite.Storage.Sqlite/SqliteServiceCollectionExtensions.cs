using AgentSuite.Governance.AgentCalls;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Budgets;
using AgentSuite.Governance.Idempotency;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Operations;
using AgentSuite.Governance.Pinning;
using AgentSuite.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SqliteGovernanceDatabase"/> and every governance store on it, all singletons.
    /// The database is created (folder, tables, WAL) when it is first resolved.
    /// </summary>
    public static IServiceCollection AddSqliteGovernanceStores(this IServiceCollection services, SqliteStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(_ => new SqliteGovernanceDatabase(options));

        // The audit store is disposable; resolving it by its class lets the container own and dispose one instance.
        services.AddSingleton<SqliteAuditStore>();
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<SqliteAuditStore>());
        services.AddSingleton<IApprovalStore, SqliteApprovalStore>();
        services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
        services.AddSingleton<IToolPinStore, SqliteToolPinStore>();
        services.AddSingleton<IKillSwitchStore, SqliteKillSwitchStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<ITurnStore, SqliteTurnStore>();
        services.AddSingleton<IAgentCallStore, SqliteAgentCallStore>();
        services.AddSingleton<IOperationsMetrics, SqliteOperationsMetrics>();
        services.AddSingleton<ITokenUsageStore, SqliteTokenUsageStore>();
        return services;
    }

    /// <summary>Registers the stores on the SQLite file named by <paramref name="connectionString"/> (e.g. <c>Data Source=data/agentsuite.db</c>).</summary>
    public static IServiceCollection AddSqliteGovernanceStores(this IServiceCollection services, string connectionString) =>
        services.AddSqliteGovernanceStores(new SqliteStorageOptions { ConnectionString = connectionString });
}
