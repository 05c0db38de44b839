using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// One SQLite file holding every governance store. Opening it creates the folder and the tables, and puts the file in
/// WAL mode, so readers never block the audit writer and a crashed process leaves a consistent file.
/// </summary>
public sealed class SqliteGovernanceDatabase : IDisposable
{
    private readonly string _pragmas;

    // Writers of this process take turns here rather than inside SQLite, whose busy handler backs off in sleeps of
    // 1-100 ms while a commit takes tens of microseconds; waiting here wakes the next writer at once (measured in
    // docs/PERFORMANCE.md). Other processes sharing the file meet SQLite's busy_timeout.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteGovernanceDatabase(SqliteStorageOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        if (builder.Mode is SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            throw new ArgumentException("The governance stores need a SQLite file (Data Source=path); an in-memory database would lose the audit trail.", nameof(options));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        ConnectionString = builder.ToString();
        Durability = options.Durability;
        _pragmas = $"PRAGMA synchronous={(options.Durability == SqliteDurability.PowerLoss ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=10000;";

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + SqliteSchema.Sql;
        command.ExecuteNonQuery();
        AddMissingColumns(connection);
        using var indexes = connection.CreateCommand();
        indexes.CommandText = SqliteSchema.AddedIndexes;
        indexes.ExecuteNonQuery();
    }

    // SQLite has no ADD COLUMN IF NOT EXISTS: a file made by an earlier build gets the columns added since.
    private static void AddMissingColumns(SqliteConnection connection)
    {
        foreach (var (table, column, definition) in SqliteSchema.AddedColumns)
        {
            using var info = connection.CreateCommand();
            info.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if ((long)info.ExecuteScalar()! == 0)
            {
                using var add = connection.CreateCommand();
                add.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
                add.ExecuteNonQuery();
            }
        }
    }

    public string ConnectionString { get; }

    public SqliteDurability Durability { get; }

    /// <summary>
    /// Holds this process's write turn until disposed. Take it before opening the connection that writes (so the
    /// connection is closed first), and never while holding another turn.
    /// </summary>
    public async ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        return new WriteTurn(_writeGate);
    }

    /// <summary>The synchronous form of <see cref="EnterWriteAsync"/>, for the audit writer, which writes inline.</summary>
    public IDisposable EnterWrite()
    {
        _writeGate.Wait();
        return new WriteTurn(_writeGate);
    }

    public void Dispose() => _writeGate.Dispose();

    /// <summary>An open connection with the durability and busy-wait settings applied.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    private sealed class WriteTurn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
