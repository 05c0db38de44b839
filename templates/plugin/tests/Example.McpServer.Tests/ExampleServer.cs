using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Example.McpServer.Tests;

/// <summary>
/// The built server started as <c>dotnet Example.McpServer.dll --data temp.db</c> and connected over its real stdin and
/// stdout with the MCP client; disposing closes stdin (the server exits, or is killed) and deletes the data file.
/// </summary>
public sealed class ExampleServer : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _stderr = new();

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "mcp-server-tests", $"{Guid.NewGuid():N}.db");

    public McpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "example",
            Command = "dotnet",
            Arguments = [BuiltDll(), "--data", DataPath],
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            StandardErrorLines = _stderr.Enqueue,
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            Client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"The server did not start over stdio. Its stderr:\n{string.Join('\n', _stderr)}", e);
        }
    }

    /// <summary>Calls a tool as a model would; the result's text is the tool's JSON, or its error message.</summary>
    public async Task<(bool IsError, string Text)> CallAsync(string tool, params (string Name, object? Value)[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await Client.CallToolAsync(tool, arguments.ToDictionary(a => a.Name, a => a.Value), cancellationToken: timeout.Token);
        return (result.IsError is true, string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
    }

    /// <summary>The JSON a successful call returned; fails the test with the error text if the call failed.</summary>
    public async Task<JsonElement> CallJsonAsync(string tool, params (string Name, object? Value)[] arguments)
    {
        var (isError, text) = await CallAsync(tool, arguments);
        Assert.False(isError, $"{tool} failed: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DataPath + suffix);
        }
    }

    private static string BuiltDll()
    {
        var path = typeof(ExampleServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "server").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"The server is not built at {path}; build the test project first.", path);
    }
}
