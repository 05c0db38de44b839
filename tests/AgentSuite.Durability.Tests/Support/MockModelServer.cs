namespace AgentSuite.Durability.Tests.Support;

/// <summary>The mock model server (src/AgentSuite.MockModelServer) as its own process with random call ids, on the durability script unless told otherwise.</summary>
public sealed class MockModelServer : IDisposable
{
    private readonly ChildProcess _process;

    private MockModelServer(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => _process.Output;

    public static async Task<MockModelServer> StartAsync(string? script = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var process = ChildProcess.Start(
            "The mock model server", Built.MockModelServer, Path.GetDirectoryName(Built.MockModelServer)!,
            new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/'), ["Logging__LogLevel__Default"] = "Warning" },
            $"--MockModel:Script={script ?? Built.Script}", "--MockModel:CallIds=random");
        var server = new MockModelServer(process, baseAddress);
        try
        {
            await process.WaitAnswersAsync(new Uri(baseAddress, "/health"));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();
}
