using AgentSuite.Durability.Tests.Support;
using AgentSuite.Tests.Support;
using AgentSuite.Tests.Postgres;

namespace AgentSuite.Durability.Tests.Cluster;

/// <summary>One instance on PostgreSQL with its embedded tool servers is legal, and says at start what that means for several.</summary>
public sealed class EmbeddedPluginsOnPostgresTests
{
    [Fact]
    public async Task ALoneInstanceOnPostgresWithEmbeddedPluginsRunsAndWarnsThatItsPluginDataIsItsOwn()
    {
        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("lone");
        using var api = await DurableApi.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:agentsuite"] = database,
        });
        using var alice = api.Client("alice");
        var conversation = await alice.NewConversationAsync();

        Assert.Contains($"no Mcp:Servers are configured, so this instance runs its own embedded tool servers ({string.Join(", ", ToolServersFile.Names)})", api.Output, StringComparison.Ordinal);
        Assert.Contains("Each instance then has its own tool server data", api.Output, StringComparison.Ordinal);
        Assert.Contains("Mcp:Servers:NAME:Url", api.Output, StringComparison.Ordinal);
        Assert.Equal("alice", (await alice.ConversationAsync(conversation)).Text("createdBy"));
    }
}
