using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// One SQLite file holding every governance store. Opening it creates the folder and the tables, and puts the file in
/// WAL mode, so readers never block the audit writer and a crashed process leaves a consistent file.
/// </summary>
public sealed class SqliteGovernanceDatabase
{
    private readonly string _pragmas;

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
    }

    public string ConnectionString { get; }

    public SqliteDurability Durability { get; }

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
}
