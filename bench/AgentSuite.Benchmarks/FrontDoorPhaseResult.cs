namespace AgentSuite.Benchmarks;

/// <summary>One timed phase of the frontdoor benchmark: its calls, their latency, and the CPU each part used.</summary>
internal sealed record FrontDoorPhaseResult(string Name, int Agents, FrontDoorMix Mix, FrontDoorTally Tally, TimeSpan Elapsed, LatencySummary Latency, CpuTimes Cpu, MachineCpu Machine)
{
    public double CallsPerSecond => Tally.Calls / Elapsed.TotalSeconds;

    /// <summary>How many cores were busy on average: the Api, its plugin servers and the agents (this process) together.</summary>
    public double BusyCores => Cpu.Total / Elapsed;

    /// <summary>Calls per second per core the Api and its plugins used: what the front door costs, apart from waiting.</summary>
    public double CallsPerServerCoreSecond => Tally.Calls / (Cpu.Api + Cpu.Plugins).TotalSeconds;

    public double CpuMsPerCall(TimeSpan part) => part.TotalMilliseconds / Tally.Calls;
}
