using AgentSuite.Durability.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Durability.Tests.Cluster.Support;

/// <summary>The official MCP client over Streamable HTTP to the agents an instance serves at /mcp, presenting a caller's key.</summary>
public static class FrontDoor
{
    public static async Task<McpClient> ConnectAsync(DurableApi api, string caller)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(api.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["X-Api-Key"] = ClusterCallers.KeyOf(caller) },
        });
        using var timeout = new CancellationTokenSource(Waits.Step);
        return await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    /// <summary>Calls <paramref name="tool"/> and returns the result's text and whether it is an error.</summary>
    public static async Task<(string Text, bool IsError)> AskAsync(this McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        using var timeout = new CancellationTokenSource(Waits.Step);
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
        return (string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)), result.IsError == true);
    }
}
