using AgentSuite.Governance.Limits;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Tests.Support;
using Npgsql;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class PostgresLimitCountersTests : LimitCountersContract
{
    protected override ILimitCounters Counters => Backend.Get<ILimitCounters>();

    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.PostgresAsync();

    protected override async Task<ILimitCounters> SecondInstanceAsync()
    {
        var second = await Backend.SecondInstanceAsync();
        DisposeLater(second);
        return second.Get<ILimitCounters>();
    }

    [Fact]
    public async Task EndedWindowsAndIdleRunsArePrunedAndTheNextCallOpensAFreshWindow()
    {
        // The run was counted by another instance, which has stopped since: nothing here holds it.
        await Counters.CountAsync(Window("c\nconv-1", 1));
        await (await SecondInstanceAsync()).CountAsync(Loop(Run("run-ended"), "call_1", 3));

        // The database's clock decides: age the rows as if their minute ended and the run went quiet long ago.
        await using (var age = Backend.Get<PostgresGovernanceDatabase>().DataSource.CreateCommand(
            "UPDATE limit_windows SET started_at = now() - interval '2 minutes', used_at = now() - interval '2 minutes'; UPDATE limit_loops SET used_at = now() - interval '1 hour'"))
        {
            await age.ExecuteNonQueryAsync();
        }

        var released = Counters.ReleaseIdle(TimeSpan.FromMinutes(1));
        var fresh = await Counters.CountAsync(Window("c\nconv-1", 1));

        Assert.Equal(2, released);
        Assert.True(fresh.Allowed);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM limit_windows"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM limit_loops"));
    }

    [Fact]
    public async Task CountsKeepTheConnectionStringsOwnSessionOptions()
    {
        // A deployment that keeps AgentSuite's tables in a schema of its own, chosen by Options in the connection string.
        var cluster = await AgentSuite.Tests.Postgres.PostgresCluster.GetAsync();
        var connectionString = await cluster.CreateDatabaseAsync("tenant");
        await using (var create = new NpgsqlConnection(connectionString))
        {
            await create.OpenAsync();
            await using var schema = new NpgsqlCommand("CREATE SCHEMA tenant", create);
            await schema.ExecuteNonQueryAsync();
        }

        var inTenant = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c search_path=tenant" }.ConnectionString;
        await using var backend = await StoreBackend.PostgresAsync(connectionString: inTenant);
        var counters = backend.Get<ILimitCounters>();

        var verdicts = new[] { await counters.CountAsync(Window("c\nconv-1", 1)), await counters.CountAsync(Window("c\nconv-1", 1)) };

        Assert.Equal([true, false], verdicts.Select(v => v.Allowed));
        await using var command = backend.Get<PostgresGovernanceDatabase>().DataSource.CreateCommand("SELECT calls FROM tenant.limit_windows");
        Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = Backend.Get<PostgresGovernanceDatabase>().DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
