using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Observability.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Observability.Tests;

/// <summary>
/// The Api's MCP client over Streamable HTTP goes through the standard resilience handler with its timeouts off, so
/// the <c>HttpResilience</c> timeouts that bound other clients never cut a connect, a tool call or the event stream.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class McpClientResilienceTests
{
    [Fact]
    public async Task RefundOverHttpPluginsIsNotCutByTheHttpResilienceTimeouts()
    {
        await using var billing = await HttpPlugin.StartAsync(BuiltPlugins.Billing);
        await using var crm = await HttpPlugin.StartAsync(BuiltPlugins.Crm);
        await using var policy = await HttpPlugin.StartAsync(BuiltPlugins.Policy);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Mcp:Servers:billing:Url"] = billing.McpUri.ToString(),
            ["Mcp:Servers:crm:Url"] = crm.McpUri.ToString(),
            ["Mcp:Servers:policy:Url"] = policy.McpUri.ToString(),

            // Shorter than any MCP exchange with a freshly started server takes: a client bound by them could not even connect.
            ["HttpResilience:AttemptTimeout:Timeout"] = "00:00:00.010",
            ["HttpResilience:TotalRequestTimeout:Timeout"] = "00:00:00.020",
        });
        using var alice = api.Client("alice");

        using var created = await alice.PostAsJsonAsync("/api/conversations", new { });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var turn = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        var body = await turn.Content.ReadAsStringAsync();

        Assert.True(turn.IsSuccessStatusCode, body);
        Assert.StartsWith("Refunded 49.00 USD", JsonDocument.Parse(body).RootElement.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }
}
