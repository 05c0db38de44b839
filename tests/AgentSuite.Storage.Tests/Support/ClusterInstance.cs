using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Storage.Tests.Support;

/// <summary>
/// One Api instance's governance on a shared PostgreSQL database, as the Api registers it: its own services, caches,
/// identity and notification listener (started). Polling is set so slow that, within a test, only a notification or
/// the switch version can carry another instance's change here.
/// </summary>
public sealed class ClusterInstance : IAsyncDisposable
{
    public static readonly TimeSpan NeverPolls = TimeSpan.FromMinutes(10);

    private readonly ServiceProvider _services;
    private readonly string _folder;

    private ClusterInstance(ServiceProvider services, string folder, string connectionString)
    {
        _services = services;
        _folder = folder;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => _services;

    public PostgresChangeListener Listener => _services.GetRequiredService<PostgresChangeListener>();

    public StoreChanges Changes => _services.GetRequiredService<StoreChanges>();

    public ApprovalService Approvals => _services.GetRequiredService<ApprovalService>();

    /// <summary>The real approval store, telling when a request was read back.</summary>
    public WatchedApprovalStore ApprovalStore => _services.GetRequiredService<WatchedApprovalStore>();

    public KillSwitchService KillSwitch => _services.GetRequiredService<KillSwitchService>();

    public ToolPinService Pins => _services.GetRequiredService<ToolPinService>();

    public GovernedToolFactory Tools => _services.GetRequiredService<GovernedToolFactory>();

    public static async Task<ClusterInstance> StartAsync(string connectionString)
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGovernance(o =>
        {
            o.Approval.PollInterval = NeverPolls;
            o.KillSwitch.RefreshInterval = NeverPolls;
            o.Agents["billing"] = new AgentPolicyOptions { Allow = ["billing/*"] };
        });
        services.AddPostgresGovernanceStores(new PostgresStorageOptions { ConnectionString = connectionString });
        services.AddSingleton<PostgresApprovalStore>();
        services.AddSingleton(sp => new WatchedApprovalStore(sp.GetRequiredService<PostgresApprovalStore>()));
        services.AddSingleton<IApprovalStore>(sp => sp.GetRequiredService<WatchedApprovalStore>());
        if (!services.Any(d => d.ServiceType == typeof(IAuditStore)))
        {
            // The audit is not what these tests are about: where the PostgreSQL stores bring none, each instance keeps its own file.
            services.AddSingleton(_ => new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "audit.db")}" }));
            services.AddSingleton<SqliteAuditStore>();
            services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<SqliteAuditStore>());
        }

        var instance = new ClusterInstance(services.BuildServiceProvider(), folder, connectionString);
        await instance.Listener.StartAsync(CancellationToken.None);
        await instance.Listener.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
