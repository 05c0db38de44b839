using Npgsql;

namespace AgentSuite.Storage.Tests.Support;

/// <summary>
/// Makes every transaction that writes one table fail at COMMIT, after all its statements (its <c>pg_notify</c>
/// included) have run: a deferred constraint trigger that raises. Disposing it lets commits through again.
/// </summary>
public sealed class RefusedCommit : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _table;

    private RefusedCommit(string connectionString, string table)
    {
        _connectionString = connectionString;
        _table = table;
    }

    public static async Task<RefusedCommit> OnAsync(string connectionString, string table)
    {
        await ExecuteAsync(connectionString, $"""
            CREATE OR REPLACE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT OR UPDATE ON {table}
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();
            """);
        return new RefusedCommit(connectionString, table);
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync(_connectionString, $"DROP TRIGGER refuse_commit ON {_table}");

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
