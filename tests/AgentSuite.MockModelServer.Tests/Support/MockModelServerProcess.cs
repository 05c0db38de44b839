using System.Diagnostics;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>
/// The mock model server started as <c>dotnet AgentSuite.MockModelServer.dll</c> on a free loopback port, ready once
/// /health answers. The port goes in as <c>--urls</c>, or as <c>ASPNETCORE_URLS</c> when a test checks that.
/// </summary>
public sealed class MockModelServerProcess : IAsyncDisposable
{
    public const string Server = "AgentSuite.MockModelServer";

    private readonly ServerProcess _process;

    private MockModelServerProcess(ServerProcess process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>The OpenAI base address clients are given: <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri V1 => new(BaseUri, "/v1");

    public HttpClient Http { get; } = new() { Timeout = Timeouts.Call };

    public string Output => _process.Output;

    public static async Task<MockModelServerProcess> StartAsync(
        IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string?>? environment = null, bool urlsFromEnvironment = false)
    {
        var baseUri = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        var urls = baseUri.ToString().TrimEnd('/');
        var start = StartInfo(urlsFromEnvironment ? arguments ?? [] : [.. arguments ?? [], "--urls", urls], environment);
        if (urlsFromEnvironment)
        {
            start.Environment["ASPNETCORE_URLS"] = urls;
        }

        var server = new MockModelServerProcess(ServerProcess.Start(start, "The mock model server"), baseUri);
        try
        {
            await server._process.WaitHealthyAsync(server.Http, baseUri);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the server expecting it to stop by itself (a start-up failure): its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IEnumerable<string> arguments)
    {
        var start = StartInfo([.. arguments, "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}"], null);
        await using var server = ServerProcess.Start(start, "The mock model server");
        using var timeout = new CancellationTokenSource(Timeouts.Start);
        await server.Process.WaitForExitAsync(timeout.Token);

        // WaitForExitAsync also waits for the redirected output to end, so the output is complete here.
        return (server.Process.ExitCode, server.Output);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Http.Dispose();
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltPlugins.DllPath(Server));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test says decides where it listens and what it requires.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "MockModel__ApiKey", "MockModel__Script" })
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
