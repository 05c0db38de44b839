using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace AgentSuite.Benchmarks;

/// <summary>
/// src/AgentSuite.Api as its own process, the way a user runs its build: <c>dotnet AgentSuite.Api.dll --urls ...</c>
/// with the working directory src/AgentSuite.Api (the host's content root, so its appsettings.json is loaded) and the
/// benchmark's settings as command-line arguments. It starts the listed tool servers as its own children. Disposing
/// kills the whole tree and checks that no process of this start is left.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ApiProcess(Process process, Uri baseAddress, string dataFolder, long startedAt)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataFolder = dataFolder;
        StartedAt = startedAt;
    }

    public Uri BaseAddress { get; }

    public string DataFolder { get; }

    public int Pid => _process.Id;

    /// <summary>The <see cref="Stopwatch.GetTimestamp"/> taken just before <see cref="Process.Start()"/>.</summary>
    public long StartedAt { get; }

    /// <summary>The Api's last lines of output, for a failure's message.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    public static ApiProcess Start(string dataFolder, bool limitsOff, IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var baseAddress = FreePort.NewLoopbackAddress();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = BuiltApi.ContentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltApi.DllPath());
        foreach (var (key, value) in ApiSettings.For(baseAddress, dataFolder, limitsOff, settings))
        {
            start.ArgumentList.Add("--" + key);
            start.ArgumentList.Add(value ?? "");
        }

        // The benchmark's own environment must not pick another environment's appsettings file.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");

        // Traces and metrics are collected in the Api either way; exporting them is not part of what is measured.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        var api = new ApiProcess(process, baseAddress, dataFolder, startedAt);
        process.OutputDataReceived += (_, e) => api.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => api.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    /// <summary>
    /// Polls <c>GET /health</c> every <paramref name="interval"/> until it answers 200 with status Healthy (the audit
    /// store and every MCP server answers). Returns the time from <see cref="StartedAt"/> to the first HTTP answer
    /// of any kind and to the first Healthy one.
    /// </summary>
    public async Task<(TimeSpan FirstAnswer, TimeSpan Healthy)> WaitUntilHealthyAsync(HttpClient poller, TimeSpan interval, TimeSpan timeout)
    {
        var health = new Uri(BaseAddress, "health");
        TimeSpan? firstAnswer = null;
        string last = "no answer yet";
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Api exited with code {_process.ExitCode} before it was ready. Its last output:{Environment.NewLine}{RecentOutput}");
            }

            var elapsed = Stopwatch.GetElapsedTime(StartedAt);
            if (elapsed > timeout)
            {
                throw new TimeoutException($"The Api was not Healthy {timeout.TotalSeconds:F0} s after its start (last answer: {last}). Its last output:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var response = await poller.GetAsync(health);
                var body = await response.Content.ReadAsStringAsync();
                var now = Stopwatch.GetElapsedTime(StartedAt);
                firstAnswer ??= now;
                last = $"{(int)response.StatusCode} {body}";
                if (response.StatusCode == HttpStatusCode.OK && IsHealthy(body))
                {
                    return (firstAnswer.Value, now);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: Kestrel starts after the hosted services, the MCP catalog's connections included.
            }

            await Task.Delay(interval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited; its plugin children, if any survived it, are caught below.
        }

        await _process.WaitForExitAsync();
        _process.Dispose();

        // The data folder is unique to this start and appears on the command line of the Api and of each plugin (--data).
        var left = await LeftoverProcesses.EndAllAsync(DataFolder, TimeSpan.FromSeconds(5));
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"Processes of this Api start were still running after its tree was killed (now ended by id): {string.Join("; ", left)}");
        }
    }

    private static bool IsHealthy(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("status", out var status) && status.GetString() == "Healthy";
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }
}
