using System.Collections.Concurrent;
using ModelContextProtocol.Client;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>A plugin started as <c>dotnet Plugin.dll --data temp.db</c> and connected over its real stdin and stdout.</summary>
public sealed class StdioPlugin : IAsyncDisposable
{
    private StdioPlugin(McpClient client, TempDataFile data, ConcurrentQueue<string> stderr)
    {
        Client = client;
        Data = data;
        StandardError = stderr;
    }

    public McpClient Client { get; }

    public TempDataFile Data { get; }

    /// <summary>What the plugin logged (stdio plugins log only to stderr).</summary>
    public ConcurrentQueue<string> StandardError { get; }

    public static async Task<StdioPlugin> StartAsync(string plugin)
    {
        var data = new TempDataFile();
        var stderr = new ConcurrentQueue<string>();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = plugin,
            Command = "dotnet",
            Arguments = [BuiltPlugins.DllPath(plugin), "--data", data.Path],
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            StandardErrorLines = stderr.Enqueue,
        });

        using var timeout = new CancellationTokenSource(Timeouts.Start);
        try
        {
            var client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
            return new StdioPlugin(client, data, stderr);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            data.Delete();
            throw new InvalidOperationException($"{plugin} did not start over stdio. Its stderr:\n{string.Join('\n', stderr)}", e);
        }
    }

    /// <summary>Closes stdin (the plugin exits) and kills the process if it has not gone after the shutdown timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Data.Delete();
    }
}
