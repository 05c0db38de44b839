using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by every Api instance, holding every governance store. Opening it creates or migrates
/// the tables under a transaction-scoped advisory lock, so instances starting at once take turns and the second finds
/// the work done. Connections come from one <see cref="NpgsqlDataSource"/> (pooled).
/// </summary>
public sealed class PostgresGovernanceDatabase : IDisposable, IAsyncDisposable
{
    // Any fixed number: every instance takes the same lock while it creates or migrates the schema.
    private const long SchemaLock = 0x4167_656E_7453_7569;

    /// <summary>How many statements each pooled connection prepares, unless the connection string says.</summary>
    internal const int AutoPrepared = 20;

    /// <summary>
    /// The pool's size unless the connection string says (Npgsql's own default is 100). With the listener and the audit
    /// writer an instance then needs at most 42 connections, so two instances fit PostgreSQL's default max_connections
    /// (100, 3 of them reserved); a busy instance waits for a pooled connection instead of being refused by the server.
    /// </summary>
    internal const int PoolSize = 40;

    public PostgresGovernanceDatabase(PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("The PostgreSQL store needs a connection string (ConnectionStrings:Governance).", nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The PostgreSQL connection string (ConnectionStrings:Governance) is not valid: {ex.Message}", nameof(options), ex);
        }

        // Every governed call runs the same few statements (the limit count, the switch version): prepared once per
        // connection, they skip the server's parse and plan. A connection string that sets Max Auto Prepare (0 for a
        // transaction-mode pooler) is left as it is.
        if (!Sets(options.ConnectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = AutoPrepared;
        }

        if (!Sets(options.ConnectionString, "Maximum Pool Size"))
        {
            builder.MaxPoolSize = PoolSize;
        }

        Options = options;
        Target = $"{builder.Host}:{builder.Port}/{builder.Database}";
        DataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            CreateSchema();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            DataSource.Dispose();
            throw new InvalidOperationException($"Could not open the PostgreSQL store at {Target} (ConnectionStrings:Governance): {ex.Message}", ex);
        }
    }

    public PostgresStorageOptions Options { get; }

    /// <summary>Host, port and database, without credentials, for messages and the status view.</summary>
    public string Target { get; }

    /// <summary>The pool every store opens its connections from.</summary>
    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) => DataSource.OpenConnectionAsync(cancellationToken);

    public NpgsqlConnection Open() => DataSource.OpenConnection();

    public void Dispose() => DataSource.Dispose();

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>The schema version the database records, or null on a database without one yet.</summary>
    private static string? Recorded(NpgsqlConnection connection, NpgsqlTransaction transaction, string name)
    {
        using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_info') IS NOT NULL", connection, transaction))
        {
            if (!(bool)exists.ExecuteScalar()!)
            {
                return null;
            }
        }

        using var read = new NpgsqlCommand("SELECT value FROM schema_info WHERE name = @name", connection, transaction);
        read.Parameters.AddWithValue("name", name);
        return read.ExecuteScalar() as string;
    }

    /// <summary>Whether the connection string itself names <paramref name="keyword"/> (spaces and case aside).</summary>
    private static bool Sets(string connectionString, string keyword)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var wanted = keyword.Replace(" ", "", StringComparison.Ordinal);
        return given.Keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), wanted, StringComparison.OrdinalIgnoreCase));
    }

    private void CreateSchema()
    {
        using var connection = DataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var wait = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, transaction))
        {
            wait.ExecuteNonQuery();
        }

        // A database already migrated by a newer build (a rolling upgrade, a rollback) is left as it is: an older build's
        // DDL must never undo a newer one's (a replaced function, say).
        var revision = int.TryParse(Recorded(connection, transaction, PostgresSchema.RevisionName), out var r) ? r : 0;
        if (revision > PostgresSchema.Revision || (revision == PostgresSchema.Revision && Recorded(connection, transaction, PostgresSchema.VersionName) == PostgresSchema.Version))
        {
            transaction.Commit();
            return;
        }

        foreach (var part in PostgresSchema.Parts)
        {
            using var command = new NpgsqlCommand(part, connection, transaction);
            command.ExecuteNonQuery();
        }

        using (var record = new NpgsqlCommand("INSERT INTO schema_info (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value", connection, transaction))
        {
            record.Parameters.AddWithValue("name", PostgresSchema.VersionName);
            record.Parameters.AddWithValue("value", PostgresSchema.Version);
            record.ExecuteNonQuery();
            record.Parameters["name"].Value = PostgresSchema.RevisionName;
            record.Parameters["value"].Value = PostgresSchema.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
