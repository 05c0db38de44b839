namespace AgentSuite.Benchmarks;

/// <summary>One concurrency level of the api benchmark: the timed turns, their message-POST latency, and CPU used.</summary>
internal sealed record ApiLevelResult(int Concurrency, int Turns, TimeSpan Elapsed, LatencySummary Latency, CpuTimes Cpu)
{
    public double TurnsPerSecond => Turns / Elapsed.TotalSeconds;

    /// <summary>CPU milliseconds per turn of one part (Api, plugins, client).</summary>
    public double CpuMsPerTurn(TimeSpan part) => part.TotalMilliseconds / Turns;

    /// <summary>How many cores were busy on average, all three parts together.</summary>
    public double BusyCores => Cpu.Total / Elapsed;
}
