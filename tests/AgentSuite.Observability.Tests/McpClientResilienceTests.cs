using System.Net;
using System.Text;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Observability.Tests.Support;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Observability.Tests;

/// <summary>
/// The client the Api gives its MCP transports for Streamable HTTP: the standard resilience handler with its timeouts
/// off and no <see cref="HttpClient.Timeout"/>, so nothing but <c>Mcp:CallTimeout</c> cuts a connect, a tool call or the
/// event stream; and a tool call that reached its server is never sent again.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class McpClientResilienceTests
{
    private const string ToolCall = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"issue_refund","arguments":{}}}""";

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

            // The smallest timeouts the handler accepts: other clients are cut at them, the MCP client is not.
            ["HttpResilience:AttemptTimeout:Timeout"] = "00:00:00.010",
            ["HttpResilience:TotalRequestTimeout:Timeout"] = "00:00:00.020",
        });
        using var alice = api.Client("alice");

        Assert.StartsWith("Refunded 49.00 USD", await RefundTurn.RunAsync(alice), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApisMcpClientHasNoHttpClientTimeout()
    {
        await using var api = await ApiServer.StartAsync();

        // A tool call's response headers come with its first event; HttpClient's 100 s default would cut a longer call.
        Assert.Equal(Timeout.InfiniteTimeSpan, McpClient(api).Timeout);
    }

    [Fact]
    public async Task AToolCallAnswered503ReachesTheServerOnce()
    {
        await using var server = await FailingMcpEndpoint.StartAsync(dropConnection: false);
        await using var api = await ApiServer.StartAsync();

        using var response = await McpClient(api).PostAsync(server.McpUri, new StringContent(ToolCall, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.Received);
    }

    [Fact]
    public async Task AToolCallWhoseConnectionDroppedAfterItsBodyArrivedReachesTheServerOnce()
    {
        await using var server = await FailingMcpEndpoint.StartAsync(dropConnection: true);
        await using var api = await ApiServer.StartAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => McpClient(api).PostAsync(server.McpUri, new StringContent(ToolCall, Encoding.UTF8, "application/json")));

        Assert.Equal(1, server.Received);
    }

    /// <summary>The client the Api's MCP transports get for an HTTP server, from the Api's own registration.</summary>
    private static HttpClient McpClient(ApiServer api) => api.Services.GetRequiredService<Func<string, HttpClient>>()("billing");
}
