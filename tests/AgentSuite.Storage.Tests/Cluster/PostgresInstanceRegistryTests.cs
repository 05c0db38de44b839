using AgentSuite.Governance.Cluster;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Tests.Support;
using Npgsql;

namespace AgentSuite.Storage.Tests.Cluster;

/// <summary>Instances on one PostgreSQL database report in and see each other, by the database's clock.</summary>
public sealed class PostgresInstanceRegistryTests : IAsyncLifetime
{
    private StoreBackend _a = null!;
    private StoreBackend _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StoreBackend.PostgresAsync();
        _b = await _a.SecondInstanceAsync();
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task EachInstanceSeesEveryOtherWithThePolicyItRunsAndOneSilentForAMinuteIsGoneAndForADayForgotten()
    {
        var a = Heartbeat(_a, "3f9a1c0b7d2e");
        var b = Heartbeat(_b, "0123456789ab");
        await _a.Get<IInstanceRegistry>().HeartbeatAsync(a);
        await _b.Get<IInstanceRegistry>().HeartbeatAsync(b);
        await _b.Get<IInstanceRegistry>().HeartbeatAsync(b with { PolicyVersion = "fedcba987654" });

        var seen = (await _a.Get<IInstanceRegistry>().ListAsync()).ToDictionary(i => i.Name);
        Assert.Equal(new[] { a.Name, b.Name }.Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("3f9a1c0b7d2e", false, "1.2.3"), (seen[a.Name].PolicyVersion, seen[a.Name].Gone, seen[a.Name].Version));
        Assert.Equal(("fedcba987654", false), (seen[b.Name].PolicyVersion, seen[b.Name].Gone));
        Assert.Equal(b.StartedAt.UtcTicks / 10, seen[b.Name].StartedAt.UtcTicks / 10);

        await AgeAsync(b.Name, "2 minutes");
        Assert.True((await _a.Get<IInstanceRegistry>().ListAsync()).Single(i => i.Name == b.Name).Gone);

        await AgeAsync(b.Name, "2 days");
        await _a.Get<IInstanceRegistry>().HeartbeatAsync(a);
        Assert.Equal([a.Name], (await _a.Get<IInstanceRegistry>().ListAsync()).Select(i => i.Name));
    }

    private static InstanceHeartbeat Heartbeat(StoreBackend instance, string policy)
    {
        var identity = instance.Get<InstanceIdentity>();
        return new InstanceHeartbeat(identity.Name, identity.StartedAt, "1.2.3", policy, DateTimeOffset.UtcNow);
    }

    private async Task AgeAsync(string name, string silence)
    {
        await using var connection = await _a.Get<PostgresGovernanceDatabase>().OpenAsync();
        await using var command = new NpgsqlCommand($"UPDATE instances SET last_seen = now() - interval '{silence}' WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", name);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
