using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentSuite.Storage.Tests.Support;

/// <summary>Plain SQL on a backend's database, bypassing the stores, as someone with direct access to it would.</summary>
internal static class RawSql
{
    public static async Task ExecuteAsync(StoreBackend backend, string sql)
    {
        if (backend.Name == "Postgres")
        {
            await using var connection = new NpgsqlConnection(backend.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var sqlite = new SqliteConnection(backend.ConnectionString);
        await sqlite.OpenAsync();
        await using var write = sqlite.CreateCommand();
        write.CommandText = sql;
        await write.ExecuteNonQueryAsync();
    }
}
