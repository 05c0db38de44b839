using System.Net;
using System.Net.Http.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Tests.Postgres;
using Npgsql;

namespace AgentSuite.Api.Tests;

/// <summary>An Api on PostgreSQL whose database stops taking connections refuses requests with 503, not 500, and recovers with it.</summary>
public sealed class StoreOutageApiTests
{
    [Fact]
    public async Task RequestsWhileTheDatabaseIsUnreachableAreRefusedWith503AndServedAgainOnceItIsBack()
    {
        var cluster = await PostgresCluster.GetAsync();
        var connectionString = await cluster.CreateDatabaseAsync("outage");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Governance"] = connectionString,
        });
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        await alice.NewConversationAsync();

        await AdminAsync(cluster, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        try
        {
            using var created = await alice.PostAsJsonAsync("/api/conversations", new { });
            using var listed = await bob.GetAsync("/api/approvals");

            await created.ProblemAsync(HttpStatusCode.ServiceUnavailable, "The governance store could not be reached");
            await listed.ProblemAsync(HttpStatusCode.ServiceUnavailable, "may not have completed");
            Assert.DoesNotContain("127.0.0.1", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("5", created.Headers.RetryAfter?.ToString());
        }
        finally
        {
            await AdminAsync(cluster, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        }

        Assert.False(string.IsNullOrEmpty(await alice.NewConversationAsync()));
    }

    private static async Task AdminAsync(PostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
