using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Turns per second and message latency through the HTTP API of the Api running as its own process, at several
/// numbers of concurrent conversations. The very first turn, alone, pays the refund; then each level is warmed up for
/// <c>warmup</c> and timed for <c>duration</c> at that concurrency.
/// </summary>
internal sealed class ApiThroughputBenchmark(TimeSpan warmup, TimeSpan duration)
{
    public async Task<List<ApiLevelResult>> RunAsync(ApiProcess api, ApiTurnClient client, IEnumerable<int> levels)
    {
        await client.TurnAsync();
        var plugins = LeftoverProcesses.Find(api.DataFolder).Select(p => p.Pid).Where(pid => pid != api.Pid).ToList();
        if (plugins.Count != ToolServersFile.Servers.Count)
        {
            throw new InvalidOperationException($"Expected a process for each of the Api's tool servers ({string.Join(", ", ToolServersFile.Names)}), found {plugins.Count}.");
        }

        var results = new List<ApiLevelResult>();
        foreach (var concurrency in levels)
        {
            await ConcurrentTurns.ForAsync(client, concurrency, warmup);
            GC.Collect();
            var before = CpuTimes.Take(api.Pid, plugins);
            var (ticks, elapsed) = await ConcurrentTurns.ForAsync(client, concurrency, duration);
            var cpu = CpuTimes.Take(api.Pid, plugins) - before;
            results.Add(new ApiLevelResult(concurrency, ticks.Length, elapsed, LatencySummary.From(ticks), cpu));
        }

        return results;
    }
}
