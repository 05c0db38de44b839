using System.Diagnostics;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Runs agents at once until a time has passed (each finishes the call it is in), timing the phase from the first call
/// to the last answer, with the CPU of the Api, its plugins and this process over that time.
/// </summary>
internal static class FrontDoorPhase
{
    public static async Task<FrontDoorPhaseResult> RunAsync(
        string name, IReadOnlyList<IFrontDoorAgent> agents, FrontDoorMix mix, TimeSpan duration, RefundBook book, int apiPid, IReadOnlyList<int> pluginPids)
    {
        var tally = new FrontDoorTally();
        GC.Collect();
        var before = CpuTimes.Take(apiPid, pluginPids);
        var machine = MachineCpu.Take();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(agents.Select(a => Task.Run(() => a.RunAsync(name, mix, () => clock.Elapsed < duration, tally, book))));
        var elapsed = clock.Elapsed;
        var cpu = CpuTimes.Take(apiPid, pluginPids) - before;
        machine = MachineCpu.Take() - machine;
        var ticks = tally.Ticks;
        var latency = ticks.Length > 0 ? LatencySummary.From(ticks) : new LatencySummary(0, 0, 0, 0, 0, 0);
        return new FrontDoorPhaseResult(name, agents.Count, mix, tally, elapsed, latency, cpu, machine);
    }
}
