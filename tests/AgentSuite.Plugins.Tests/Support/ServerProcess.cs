using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>
/// A server the tests start as <c>dotnet some.dll ...</c> on a loopback port: its output kept for failure messages,
/// ready once <c>/health</c> answers 200, and killed (with its children) when disposed or when the test host exits.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _what;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string what)
    {
        _process = process;
        _what = what;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

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

    public Process Process => _process;

    /// <summary>Starts <paramref name="start"/> (stdout and stderr must be redirected) and captures its output; <paramref name="what"/> names it in errors.</summary>
    public static ServerProcess Start(ProcessStartInfo start, string what)
    {
        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {what}."), what);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="baseUri"/>/health until it answers 200; fails with the output if the process exits or time runs out.</summary>
    public async Task WaitHealthyAsync(HttpClient http, Uri baseUri)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Timeouts.Start)
        {
            if (_process.HasExited)
            {
                await DrainOutputAsync();
                throw new InvalidOperationException($"{_what} exited with code {_process.ExitCode} before it was healthy. Its output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(baseUri, "/health"));
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

        throw new TimeoutException($"{_what} was not healthy at {baseUri}health within {Timeouts.Start}. Its output:\n{Output}");
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
    }

    /// <summary>Waits (a few seconds at most) for the output pipes of an exited process to close, so its last lines are kept.</summary>
    private async Task DrainOutputAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // A child still holds the pipes; report what has arrived.
        }
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
}
