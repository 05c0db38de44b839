using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>A storage setting the Api cannot act on stops it at start, naming the key to fix.</summary>
public sealed class StorageProviderStartupTests
{
    [Fact]
    public async Task AnUnknownStorageProviderStopsTheApiNamingTheProvidersItKnows()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Mongo",
        }));

        Assert.Contains("Storage:Provider is 'Mongo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Sqlite'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Postgres'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("postgres")]
    public async Task PostgresWithoutAConnectionStringStopsTheApiNamingTheKey(string provider)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["ConnectionStrings:Governance"] = "",
        }));

        Assert.Contains("ConnectionStrings:Governance is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host=", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    public async Task AnUnusableTurnLeaseStopsTheApiNamingTheKey(string seconds)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Governance"] = "Host=127.0.0.1;Port=1;Database=governance;Username=postgres",
            ["Storage:Postgres:TurnLeaseSeconds"] = seconds,
        }));

        Assert.Contains($"Storage:Postgres:TurnLeaseSeconds is '{seconds}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqliteNamedInAnyCaseIsTheEmbeddedStore()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Storage:Provider"] = "SQLITE" });

        Assert.True(File.Exists(Path.Combine(api.DataFolder, "agentsuite.db")));
    }
}
