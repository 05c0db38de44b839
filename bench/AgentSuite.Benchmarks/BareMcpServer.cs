using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Benchmarks;

/// <summary>
/// A plugin server as its own process over stdio, reached with nothing but the MCP SDK's <see cref="McpClient"/>: the
/// bare baseline. Disposing ends the session, which ends the process.
/// </summary>
internal sealed class BareMcpServer : IAsyncDisposable
{
    private readonly McpClient _client;
    private readonly Dictionary<string, McpClientTool> _tools;

    private BareMcpServer(McpClient client, IEnumerable<McpClientTool> tools)
    {
        _client = client;
        _tools = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public static async Task<BareMcpServer> StartAsync(string server, string plugin, string dataPath)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = server,
            Command = "dotnet",
            Arguments = [BuiltPlugins.DllPath(plugin), "--data", dataPath],

            // Read and dropped, as the app's transport hands each line to a logger that writes nowhere here.
            StandardErrorLines = _ => { },
        });
        var client = await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "bench-bare", Version = "1.0" } });
        try
        {
            return new BareMcpServer(client, await client.ListToolsAsync());
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>A tool as the SDK gives it: an <c>AIFunction</c> an ungoverned agent would hand its model.</summary>
    public McpClientTool Tool(string name) =>
        _tools.TryGetValue(name, out var tool) ? tool : throw new KeyNotFoundException($"The server does not serve '{name}' (it serves: {string.Join(", ", _tools.Keys)}).");

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
