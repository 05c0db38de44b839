using Microsoft.Data.Sqlite;

namespace AgentSuite.McpHosting;

/// <summary>
/// A plugin's own SQLite file (WAL). The first start creates the tables and seeds the demo data in one transaction;
/// later starts find the file seeded (<c>PRAGMA user_version</c> is 1) and leave the data as it is.
/// </summary>
public sealed class PluginDatabase
{
    public PluginDatabase(string path, string schemaSql, Action<SqliteConnection, DateTimeOffset> seed)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();

        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        // BEGIN IMMEDIATE as plain SQL so the seed's own commands need no transaction object; two first starts
        // on one file take turns and only the first seeds.
        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            Execute(connection, schemaSql);
            if (Scalar(connection, "PRAGMA user_version;") == 0)
            {
                seed(connection, DateTimeOffset.UtcNow);
                Execute(connection, "PRAGMA user_version = 1;");
            }

            Execute(connection, "COMMIT;");
        }
        catch
        {
            Execute(connection, "ROLLBACK;");
            throw;
        }
    }

    /// <summary>The full path of the data file.</summary>
    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>An open connection that waits for a busy writer instead of failing.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one <c>BEGIN IMMEDIATE</c> transaction: all of it is stored, or none of it if it throws.</summary>
    public T Write<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Open();
        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            var result = work(connection);
            Execute(connection, "COMMIT;");
            return result;
        }
        catch
        {
            Execute(connection, "ROLLBACK;");
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
