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

    public PostgresGovernanceDatabase(PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("The PostgreSQL store needs a connection string (ConnectionStrings:AgentSuite).", nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The PostgreSQL connection string (ConnectionStrings:AgentSuite) is not valid: {ex.Message}", nameof(options), ex);
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
            throw new InvalidOperationException($"Could not open the PostgreSQL store at {Target} (ConnectionStrings:AgentSuite): {ex.Message}", ex);
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

    private void CreateSchema()
    {
        using var connection = DataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var wait = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, transaction))
        {
            wait.ExecuteNonQuery();
        }

        foreach (var part in PostgresSchema.Parts)
        {
            using var command = new NpgsqlCommand(part, connection, transaction);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
