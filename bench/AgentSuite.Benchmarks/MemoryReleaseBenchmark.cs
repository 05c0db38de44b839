using System.Diagnostics;
using System.Globalization;
using AgentSuite.Governance;
using AgentSuite.Governance.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The Api's memory at start, after a few warm-up conversations, after <c>conversations</c> more (each a new
/// conversation with one refund turn, <c>concurrency</c> at a time, limits as shipped), and after those have been idle
/// long enough for <c>Governance:IdleStateRelease</c> (set short for the run) to release their state: a rate window is
/// kept until its minute has ended, and the sweep runs every half interval, so the wait is a minute and two intervals.
/// Measured twice: the Api in this process (workstation GC; the managed heap is read after full collections), and the
/// Api as its own process as a user runs it (server GC; its working set as it stands, and at the idle point again just
/// after a full collection induced through its diagnostics port, which is left to the end so it changes no earlier reading).
/// </summary>
internal sealed class MemoryReleaseBenchmark(int warmup, int conversations, int concurrency, TimeSpan releaseInterval)
{
    public TimeSpan IdleWait { get; } = TimeSpan.FromMinutes(1) + 2 * releaseInterval;

    private Dictionary<string, string?> Settings => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Governance:IdleStateRelease"] = releaseInterval.ToString("c", CultureInfo.InvariantCulture),
    };

    public async Task<List<MemorySample>> InProcessAsync(string dataFolder)
    {
        await using var api = await InProcessApi.StartAsync(dataFolder, limitsOff: false, Settings);
        using var client = new ApiTurnClient(api.BaseAddress, connections: concurrency);
        var limits = api.Services.GetServices<IToolCallFilter>().OfType<RateLimitFilter>().Single();
        return await MeasureAsync(client, async point =>
        {
            var (heap, workingSet) = await IdleMemoryBenchmark.SettleAsync();
            return new MemorySample(point, heap, workingSet) { LimitsHeld = (limits.HeldWindows, limits.HeldRuns) };
        });
    }

    public async Task<List<MemorySample>> OwnProcessAsync(string dataFolder)
    {
        using var poller = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        await using var api = ApiProcess.Start(dataFolder, limitsOff: false, Settings);
        await api.WaitUntilHealthyAsync(poller, TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(60));
        using var client = new ApiTurnClient(api.BaseAddress, connections: concurrency);
        var samples = await MeasureAsync(client, async point =>
        {
            await Task.Delay(500);
            return new MemorySample(point, null, WorkingSet(api.Pid));
        });
        await InducedCollection.RunAsync(api.Pid);
        await Task.Delay(500);
        samples[^1] = samples[^1] with { CollectedWorkingSetBytes = WorkingSet(api.Pid) };
        return samples;
    }

    private static long WorkingSet(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.WorkingSet64;
    }

    private async Task<List<MemorySample>> MeasureAsync(ApiTurnClient client, Func<string, Task<MemorySample>> read)
    {
        var samples = new List<MemorySample> { await read("at start (ready, no conversation yet)") };
        await ConcurrentTurns.CountAsync(client, concurrency: 1, warmup);
        samples.Add(await read($"after {warmup} warm-up conversations"));
        await ConcurrentTurns.CountAsync(client, concurrency, conversations);
        samples.Add(await read($"after {conversations} more conversations, {concurrency} at a time"));
        await Task.Delay(IdleWait);
        samples.Add(await read($"after {IdleWait.TotalSeconds:F0} s idle"));
        return samples;
    }
}
