using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelContextProtocol.Client;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>
/// A plugin started as <c>dotnet Plugin.dll --http --urls http://127.0.0.1:PORT --data temp.db</c> (with extra
/// environment variables if given), ready once /health answers.
/// </summary>
public sealed class HttpPlugin : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HttpPlugin(Process process, Uri baseUri, TempDataFile data)
    {
        _process = process;
        BaseUri = baseUri;
        Data = data;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public Uri BaseUri { get; }

    public Uri McpUri => new(BaseUri, "/mcp");

    public TempDataFile Data { get; }

    public HttpClient Http { get; } = new() { Timeout = Timeouts.Call };

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="plugin"/> on a free port with a fresh data file; <paramref name="environment"/> is added to its environment.</summary>
    public static async Task<HttpPlugin> StartAsync(string plugin, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var data = new TempDataFile();
        var baseUri = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { BuiltPlugins.DllPath(plugin), "--http", "--urls", baseUri.ToString().TrimEnd('/'), "--data", data.Path })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {plugin}.");
        var server = new HttpPlugin(process, baseUri, data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitHealthyAsync();
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
        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
        Http.Dispose();
        Data.Delete();
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Timeouts.Start)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The plugin exited with code {_process.ExitCode} before it was healthy. Its output:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(BaseUri, "/health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The plugin was not healthy at {BaseUri}health within {Timeouts.Start}. Its output:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
