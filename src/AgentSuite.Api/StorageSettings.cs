using System.Globalization;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Api;

/// <summary>
/// Which store the Api keeps governance in, from <c>Storage:Provider</c>: SQLite (the default, a file in the data folder
/// or <c>ConnectionStrings:Governance</c>) or PostgreSQL (<c>Postgres</c>, shared by several instances, at
/// <c>ConnectionStrings:Governance</c>, which Aspire's <c>AddDatabase("governance")</c> also sets). Each error names the key to fix.
/// </summary>
internal static class StorageSettings
{
    public const string SqliteProvider = "Sqlite";
    public const string PostgresProvider = "Postgres";

    /// <summary>Registers the chosen store and the audit anchor's folder.</summary>
    public static void AddGovernanceStores(IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        var provider = configuration["Storage:Provider"];
        if (string.Equals(provider, PostgresProvider, StringComparison.OrdinalIgnoreCase))
        {
            services.AddPostgresGovernanceStores(Postgres(configuration));

            // Each instance anchors the one chain in its own data folder and publishes a copy to audit_anchors, where every
            // instance checks the others' anchors too (docs/hosting.md, "The audit anchor with several instances").
            services.AddAuditAnchor(dataFolder);
            return;
        }

        if (provider is { Length: > 0 } && !string.Equals(provider, SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Storage:Provider is '{provider}', but this build knows '{SqliteProvider}' (a file in the data folder, the default) and '{PostgresProvider}' (one PostgreSQL database shared by several Api instances, at ConnectionStrings:Governance).");
        }

        var connectionString = configuration.GetConnectionString("Governance") is { Length: > 0 } cs ? cs : $"Data Source={Path.Combine(dataFolder, "agentsuite.db")}";
        services.AddSqliteGovernanceStores(new SqliteStorageOptions
        {
            ConnectionString = connectionString,
            Durability = configuration.GetValue("Storage:Durability", SqliteDurability.ProcessCrash),
        });
        services.AddAuditAnchor(Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource))!);
    }

    private static PostgresStorageOptions Postgres(IConfiguration configuration)
    {
        if (configuration.GetConnectionString("Governance") is not { Length: > 0 } connectionString)
        {
            throw new InvalidOperationException("Storage:Provider is 'Postgres', but ConnectionStrings:Governance is not set: give the database as an Npgsql connection string (Host=…;Port=5432;Database=governance;Username=…;Password=…), e.g. in the environment as ConnectionStrings__Governance.");
        }

        var options = new PostgresStorageOptions { ConnectionString = connectionString };
        if (configuration["Storage:Postgres:TurnLeaseSeconds"] is { Length: > 0 } text)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) || seconds < 1 || seconds > 3600)
            {
                throw new InvalidOperationException($"Storage:Postgres:TurnLeaseSeconds is '{text}': give how long an instance holds a turn without renewing it, in seconds, from 1 to 3600 (15 by default).");
            }

            options.TurnLease = TimeSpan.FromSeconds(seconds);
        }

        return options;
    }
}
