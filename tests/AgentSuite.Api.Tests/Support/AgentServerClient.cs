using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Api.Tests.Support;

/// <summary>The official MCP client over Streamable HTTP to the agents the Api serves at /mcp, presenting an API key.</summary>
internal static class AgentServerClient
{
    public static async Task<McpClient> ConnectAsync(ApiServer api, string apiKey)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(api.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["X-Api-Key"] = apiKey },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    /// <summary>Calls <c>ask_coordinator</c> and returns the result's text and whether it is an error.</summary>
    public static async Task<(string Text, bool IsError)> AskAsync(this McpClient client, Dictionary<string, object?> arguments, string tool = "ask_coordinator")
    {
        var result = await client.CallToolAsync(tool, arguments);
        return (string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)), result.IsError == true);
    }
}
