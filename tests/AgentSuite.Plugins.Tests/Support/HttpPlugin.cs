using System.Diagnostics;
using ModelContextProtocol.Client;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>
/// A plugin started as <c>dotnet Plugin.dll --http --urls http://127.0.0.1:PORT --data temp.db</c> (with extra
/// environment variables if given), ready once /health answers.
/// </summary>
public sealed class HttpPlugin : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private HttpPlugin(ServerProcess process, Uri baseUri, TempDataFile data)
    {
        _process = process;
        BaseUri = baseUri;
        Data = data;
    }

    public Uri BaseUri { get; }

    public Uri McpUri => new(BaseUri, "/mcp");

    public TempDataFile Data { get; }

    public HttpClient Http { get; } = new() { Timeout = Timeouts.Call };

    public string Output => _process.Output;

    /// <summary>
    /// Starts <paramref name="plugin"/> on a free port with a fresh data file; <paramref name="environment"/> is added to
    /// its environment. The port goes in <c>--urls</c>, or, with <paramref name="addressVariable"/> (e.g.
    /// <c>ASPNETCORE_URLS</c>), in that variable alone, as a host sets it.
    /// </summary>
    public static async Task<HttpPlugin> StartAsync(string plugin, IReadOnlyDictionary<string, string?>? environment = null, string? addressVariable = null)
    {
        var data = new TempDataFile();
        var baseUri = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        var address = baseUri.ToString().TrimEnd('/');
        string[] arguments = addressVariable is null
            ? [BuiltPlugins.DllPath(plugin), "--http", "--urls", address, "--data", data.Path]
            : [BuiltPlugins.DllPath(plugin), "--http", "--data", data.Path];
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        if (addressVariable is not null)
        {
            start.Environment[addressVariable] = address;
        }

        var server = new HttpPlugin(ServerProcess.Start(start, $"The plugin {plugin}"), baseUri, data);
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

    /// <summary>A client over Streamable HTTP; <paramref name="protocolVersion"/> pins a revision (e.g. 2025-11-25 for sessions), null lets the client choose.</summary>
    public async Task<McpClient> ConnectAsync(string? protocolVersion = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpUri,
            TransportMode = HttpTransportMode.StreamableHttp,
            ConnectionTimeout = Timeouts.Call,
        });
        using var timeout = new CancellationTokenSource(Timeouts.Start);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion }, cancellationToken: timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Http.Dispose();
        Data.Delete();
    }
}
