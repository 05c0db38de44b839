using System.Net;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// /health checks each MCP server for real (its process is running, its session answers a ping), so a plugin that dies
/// shows at once as degraded, naming the server and why; the next turn that needs it reconnects and health recovers.
/// </summary>
public sealed class McpHealthTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task APluginProcessThatDiesMakesHealthDegradedUntilTheNextCallReconnectsIt()
    {
        await using var api = await ApiServer.StartAsync();
        using var ops = api.Client("ops");
        Assert.Equal("Healthy", (await ops.GetJsonAsync("/health")).GetProperty("status").GetString());

        Assert.Equal(1, PluginProcesses.KillServerUsing(Path.Combine(api.DataFolder, "billing.db")));
        var degraded = await PollHealthAsync(ops, "Degraded");

        var mcp = degraded.GetProperty("checks").GetProperty("mcp");
        Assert.Equal("Degraded", mcp.GetProperty("status").GetString());
        Assert.Equal(["billing"], mcp.GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.Matches("^its process exited with code [0-9]+; the next call to one of its tools reconnects$", mcp.GetProperty("data").GetProperty("billing").GetString());

        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();
        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        Assert.StartsWith("Refunded 49.00 USD", turn.GetProperty("reply").GetString(), StringComparison.Ordinal);
        var healthy = await PollHealthAsync(ops, "Healthy");
        Assert.Equal(ToolServersFile.Names.Order(StringComparer.Ordinal), healthy.GetProperty("checks").GetProperty("mcp").GetProperty("data").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>GET /health until its status is <paramref name="status"/>; fails with the last answer after <see cref="Patience"/>.</summary>
    private static async Task<JsonElement> PollHealthAsync(HttpClient client, string status)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await client.GetAsync("/health");
            var body = await response.Content.ReadAsStringAsync();
            var health = JsonSerializer.Deserialize<JsonElement>(body);
            if (health.GetProperty("status").GetString() == status)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return health;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/health did not become {status} within {Patience.TotalSeconds} s; it answers {body}");
            await Task.Delay(100);
        }
    }
}
