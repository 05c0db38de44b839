using AgentSuite.Storage.Postgres;
using AgentSuite.Tests.Postgres;
using Npgsql;

namespace AgentSuite.Storage.Tests;

public sealed class PostgresSchemaTests
{
    [Fact]
    public async Task Instances_starting_at_once_create_the_schema_once_without_racing()
    {
        var cluster = await PostgresCluster.GetAsync();
        var connectionString = await cluster.CreateDatabaseAsync("schema");

        // Eight instances opening an empty database together: without the advisory lock, concurrent CREATE TABLE IF NOT
        // EXISTS statements collide on the catalogue's unique index and some of them fail.
        var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString }))));
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            Assert.True((long)(await tables.ExecuteScalarAsync())! >= 1);
        }
        finally
        {
            foreach (var db in opened)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_start_on_a_current_schema_runs_no_DDL_and_a_changed_schema_is_applied()
    {
        var connectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("version");
        await using (var first = new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString }))
        {
            Assert.Equal(PostgresSchema.Version, await ScalarAsync(connectionString, $"SELECT value FROM schema_info WHERE name = '{PostgresSchema.VersionName}'"));
        }

        // An index gone: a start on the same version leaves it gone (no DDL ran); one recorded at another version creates it again.
        await ScalarAsync(connectionString, "DROP INDEX ix_approvals_conversation");
        await using (new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString }))
        {
            Assert.Null(await ScalarAsync(connectionString, "SELECT to_regclass('ix_approvals_conversation')::text"));
        }

        await ScalarAsync(connectionString, $"UPDATE schema_info SET value = 'older' WHERE name = '{PostgresSchema.VersionName}'");
        await using (new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString }))
        {
            Assert.Equal("ix_approvals_conversation", await ScalarAsync(connectionString, "SELECT to_regclass('ix_approvals_conversation')::text"));
            Assert.Equal(PostgresSchema.Version, await ScalarAsync(connectionString, $"SELECT value FROM schema_info WHERE name = '{PostgresSchema.VersionName}'"));
            Assert.Equal($"{PostgresSchema.Revision}", await ScalarAsync(connectionString, $"SELECT value FROM schema_info WHERE name = '{PostgresSchema.RevisionName}'"));
        }

        // A database a newer build migrated (a higher revision) is left alone by this older one, whatever its version:
        // during a rolling upgrade an older instance must not undo the newer schema.
        await ScalarAsync(connectionString, "DROP INDEX ix_approvals_conversation");
        await ScalarAsync(connectionString, $"UPDATE schema_info SET value = 'newer' WHERE name = '{PostgresSchema.VersionName}'");
        await ScalarAsync(connectionString, $"UPDATE schema_info SET value = '{PostgresSchema.Revision + 1}' WHERE name = '{PostgresSchema.RevisionName}'");
        await using (new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString }))
        {
            Assert.Null(await ScalarAsync(connectionString, "SELECT to_regclass('ix_approvals_conversation')::text"));
            Assert.Equal("newer", await ScalarAsync(connectionString, $"SELECT value FROM schema_info WHERE name = '{PostgresSchema.VersionName}'"));
        }
    }

    [Theory]
    [InlineData("", PostgresGovernanceDatabase.PoolSize)]
    [InlineData(";Maximum Pool Size=7", 7)]
    [InlineData(";maximum pool size=12", 12)]
    public async Task The_pool_fits_two_instances_under_the_servers_default_unless_the_connection_string_sizes_it(string setting, int size)
    {
        var connectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("pool");

        await using var db = new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString + setting });

        Assert.Equal(size, new NpgsqlConnectionStringBuilder(db.DataSource.ConnectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData("", PostgresGovernanceDatabase.AutoPrepared)]
    [InlineData(";Max Auto Prepare=0", 0)]
    [InlineData(";maxautoprepare=5", 5)]
    public async Task Statements_are_prepared_per_connection_unless_the_connection_string_says_otherwise(string setting, int prepared)
    {
        var connectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("prepare");

        await using var db = new PostgresGovernanceDatabase(new PostgresStorageOptions { ConnectionString = connectionString + setting });

        Assert.Equal(prepared, new NpgsqlConnectionStringBuilder(db.DataSource.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public async Task An_unreachable_server_is_named_with_the_setting_to_fix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PostgresGovernanceDatabase(new PostgresStorageOptions
        {
            ConnectionString = "Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres;Timeout=2",
        }));
        Assert.Contains("ConnectionStrings:Governance", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1/nowhere", error.Message, StringComparison.Ordinal);
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}
