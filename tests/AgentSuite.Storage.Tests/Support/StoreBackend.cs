using AgentSuite.Governance.Cluster;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Sqlite;
using AgentSuite.Tests.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentSuite.Storage.Tests.Support;

/// <summary>
/// The governance stores on one real database, as the Api registers them: a fresh SQLite file in a temporary folder,
/// or a fresh database on the test process's PostgreSQL cluster. Contract tests run the same assertions on both.
/// </summary>
public sealed class StoreBackend : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _folder;

    private StoreBackend(string name, ServiceProvider services, string? folder, string connectionString)
    {
        Name = name;
        _services = services;
        _folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>.</summary>
    public string Name { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => _services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static Task<StoreBackend> SqliteAsync(TimeProvider? time = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
        var connectionString = $"Data Source={Path.Combine(folder, "agentsuite.db")}";
        var services = Common(time);
        services.AddSqliteGovernanceStores(new SqliteStorageOptions { ConnectionString = connectionString });
        return Task.FromResult(new StoreBackend("Sqlite", services.BuildServiceProvider(), folder, connectionString));
    }

    /// <summary>A fresh database on the shared cluster; <paramref name="connectionString"/> reuses one (a second instance on the same database).</summary>
    public static async Task<StoreBackend> PostgresAsync(TimeProvider? time = null, string? connectionString = null, Action<PostgresStorageOptions>? configure = null)
    {
        connectionString ??= await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("store");
        var options = new PostgresStorageOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        var services = Common(time);
        services.AddPostgresGovernanceStores(options);
        return new StoreBackend("Postgres", services.BuildServiceProvider(), folder: null, connectionString);
    }

    /// <summary>Another instance on the same database (PostgreSQL) or file (SQLite): its own services, caches and identity.</summary>
    public Task<StoreBackend> SecondInstanceAsync(TimeProvider? time = null) => Name == "Postgres"
        ? PostgresAsync(time, ConnectionString)
        : Task.FromResult(SqliteOn(ConnectionString, time));

    private static StoreBackend SqliteOn(string connectionString, TimeProvider? time)
    {
        var services = Common(time);
        services.AddSqliteGovernanceStores(new SqliteStorageOptions { ConnectionString = connectionString });
        return new StoreBackend("Sqlite", services.BuildServiceProvider(), folder: null, connectionString);
    }

    private static ServiceCollection Common(TimeProvider? time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(sp => InstanceIdentity.Current(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<StoreChanges>();
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}
