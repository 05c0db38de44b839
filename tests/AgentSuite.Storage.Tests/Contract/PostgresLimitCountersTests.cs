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

    private async Task<long> CountAsync(string sql)
    {
        await using var command = Backend.Get<PostgresGovernanceDatabase>().DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
