using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>
/// The mock model server started as <c>dotnet AgentSuite.MockModelServer.dll</c> on a free loopback port, ready once
/// /health answers. The port goes in as <c>--urls</c>, or as <c>ASPNETCORE_URLS</c> when a test checks that.
/// </summary>
public sealed class MockModelServerProcess : IAsyncDisposable
{
    public const string Server = "AgentSuite.MockModelServer";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MockModelServerProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public Uri BaseUri { get; }

    /// <summary>The OpenAI base address clients are given: <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri V1 => new(BaseUri, "/v1");

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

    public static async Task<MockModelServerProcess> StartAsync(
        IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string?>? environment = null, bool urlsFromEnvironment = false)
    {
        var baseUri = new Uri($"http://127.0.0.1:{FreePort()}");
        var urls = baseUri.ToString().TrimEnd('/');
        var start = StartInfo(urlsFromEnvironment ? arguments ?? [] : [.. arguments ?? [], "--urls", urls], environment);
        if (urlsFromEnvironment)
        {
            start.Environment["ASPNETCORE_URLS"] = urls;
        }

        var server = new MockModelServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {Server}."), baseUri);
        server.CaptureOutput();
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

    /// <summary>Runs the server expecting it to stop by itself (a start-up failure): its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IEnumerable<string> arguments)
    {
        var start = StartInfo([.. arguments, "--urls", $"http://127.0.0.1:{FreePort()}"], null);
        var server = new MockModelServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {Server}."), new Uri("http://127.0.0.1"));
        await using (server)
        {
            server.CaptureOutput();
            using var timeout = new CancellationTokenSource(Timeouts.Start);
            await server._process.WaitForExitAsync(timeout.Token);
            return (server._process.ExitCode, server.Output);
        }
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

    private void CaptureOutput()
    {
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Timeouts.Start)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The mock model server exited with code {_process.ExitCode} before it was healthy. Its output:\n{Output}");
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

        throw new TimeoutException($"The mock model server was not healthy at {BaseUri}health within {Timeouts.Start}. Its output:\n{Output}");
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
