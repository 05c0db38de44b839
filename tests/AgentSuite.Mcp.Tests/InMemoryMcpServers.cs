using System.Collections.Concurrent;
using System.IO.Pipelines;
using AgentSuite.Mcp;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentSuite.Mcp.Tests;

/// <summary>
/// Real MCP servers (the SDK's server over a stream transport) connected in memory through pipes. A server can be
/// killed, as a crashed plugin process would be, and its tools changed before the next connection.
/// </summary>
public sealed class InMemoryMcpServers : IMcpTransportFactory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<IEnumerable<McpServerTool>>> _tools = new();
    private readonly ConcurrentDictionary<string, (CancellationTokenSource Stop, Task Session)> _running = new();
    private readonly ConcurrentBag<Task> _sessions = [];

    public int Connections;

    public void Serve(string server, Func<IEnumerable<McpServerTool>> tools) => _tools[server] = tools;

    /// <summary>Ends the server's current session, as if its process died, and waits until its pipes are closed.</summary>
    public async Task KillAsync(string server)
    {
        if (_running.TryRemove(server, out var running))
        {
            await running.Stop.CancelAsync();
            await running.Session.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public IClientTransport Create(string server, McpServerConnectionOptions options)
    {
        Interlocked.Increment(ref Connections);
        var toServer = new Pipe();
        var toClient = new Pipe();
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var tool in _tools[server]())
        {
            collection.Add(tool);
        }

        var session = McpServer.Create(
            new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream(), server),
            new McpServerOptions { ServerInfo = new Implementation { Name = server, Version = "1.0" }, ToolCollection = collection });
        var cts = new CancellationTokenSource();
        var task = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                // Closing the pipes is what the client sees when a server process dies.
                await toClient.Writer.CompleteAsync();
                await toServer.Reader.CompleteAsync();
                await session.DisposeAsync();
            }
        });
        _running[server] = (cts, task);
        _sessions.Add(task);
        return new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, _) in _running.Values)
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(_sessions).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
