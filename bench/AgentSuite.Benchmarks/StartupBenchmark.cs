using System.Diagnostics;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Time from start to ready: the Api process started <c>coldStarts</c> times, each on a fresh data folder (so the Api's
/// store and each plugin's SQLite file are created and seeded), then once more on the last folder (a warm start).
/// <c>GET /health</c> is polled every <c>interval</c> until it is Healthy; the tree is killed after each start. For
/// comparison, one plugin server alone (Billing, fresh data file) is started as an MCP client starts it, until its
/// tools are listed.
/// </summary>
internal sealed class StartupBenchmark(int coldStarts, TimeSpan interval)
{
    public const string Cold = "fresh (created and seeded)";
    public const string Warm = "re-used";
    public const string PluginAlone = "Billing.McpServer alone, fresh file";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task<List<StartupResult>> RunAsync(TempFolder folder)
    {
        using var poller = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(20) };
        var results = new List<StartupResult>();
        var dataFolder = "";
        for (var i = 1; i <= coldStarts; i++)
        {
            dataFolder = folder.NewFolder($"start-{i}");
            results.Add(await StartApiAsync(poller, $"Api, cold {i}", dataFolder, Cold));
        }

        results.Add(await StartApiAsync(poller, "Api, warm", dataFolder, Warm));
        for (var i = 1; i <= 3; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var plugin = await BareMcpServer.StartAsync("billing", BuiltPlugins.Billing, folder.NewFile($"billing-start-{i}"));
            var ready = Stopwatch.GetElapsedTime(started);
            results.Add(new StartupResult($"plugin alone {i}", PluginAlone, ready, ready));
        }

        return results;
    }

    private async Task<StartupResult> StartApiAsync(HttpClient poller, string name, string dataFolder, string data)
    {
        await using var api = ApiProcess.Start(dataFolder, limitsOff: true);
        var (firstAnswer, healthy) = await api.WaitUntilHealthyAsync(poller, interval, Timeout);
        return new StartupResult(name, data, firstAnswer, healthy);
    }
}
