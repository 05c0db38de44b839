using System.Diagnostics;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Each tool server project of plugins/toolservers.json started once over Streamable HTTP (<c>--http --urls … --data …</c>),
/// as several Api instances share them. Disposing kills them all and checks that none of this start is left.
/// </summary>
internal sealed class HttpPluginServers : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly Dictionary<string, Uri> _urls = new(StringComparer.Ordinal);

    private HttpPluginServers(string folder) => Folder = folder;

    /// <summary>The folder of their data files, on every command line (how leftovers are found).</summary>
    public string Folder { get; }

    public IReadOnlyList<int> Pids => _processes.Select(p => p.Id).ToList();

    /// <summary><c>Mcp:Servers:NAME:Url</c> for each, which also turns an Api's embedded plugins off.</summary>
    public IReadOnlyDictionary<string, string?> ApiSettings =>
        _urls.ToDictionary(u => $"Mcp:Servers:{u.Key}:Url", u => (string?)new Uri(u.Value, "mcp").ToString(), StringComparer.Ordinal);

    public static async Task<HttpPluginServers> StartAsync(string folder)
    {
        var servers = new HttpPluginServers(folder);
        try
        {
            foreach (var (server, plugin) in ToolServersFile.Projects)
            {
                var url = FreePort.NewLoopbackAddress();
                var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in new[] { BuiltPlugins.DllPath(plugin), "--http", "--urls", url.ToString().TrimEnd('/'), "--data", Path.Combine(folder, server + ".db") })
                {
                    start.ArgumentList.Add(argument);
                }

                start.Environment["Logging__LogLevel__Default"] = "Warning";
                start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
                var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {plugin}.");
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                servers._processes.Add(process);
                servers._urls[server] = url;
            }

            using var poller = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var url in servers._urls.Values)
            {
                await WaitHealthyAsync(poller, new Uri(url, "health"));
            }

            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        var left = await LeftoverProcesses.EndAllAsync(Folder, TimeSpan.FromSeconds(5));
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"Plugin server processes were still running after they were killed (now ended by id): {string.Join("; ", left)}");
        }
    }

    private static async Task WaitHealthyAsync(HttpClient poller, Uri health)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await poller.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{health} did not answer 200 within 60 s.");
            }

            await Task.Delay(50);
        }
    }
}
