namespace AgentSuite.Benchmarks;

/// <summary>One run of the cluster benchmark: so many Api instances on one store (PostgreSQL, or SQLite for reference) at so many concurrent conversations.</summary>
internal sealed record ClusterLevelResult(string Store, int Instances, int Concurrency, int Turns, TimeSpan Elapsed, LatencySummary Latency, ClusterCpu Cpu, long Transactions)
{
    /// <summary>PostgreSQL transactions committed or rolled back in the database per turn (pg_stat_database).</summary>
    public double TransactionsPerTurn => (double)Transactions / Turns;

    public double TurnsPerSecond => Turns / Elapsed.TotalSeconds;

    /// <summary>CPU milliseconds per turn of one part.</summary>
    public double CpuMsPerTurn(TimeSpan part) => part.TotalMilliseconds / Turns;

    /// <summary>How many cores this run's processes kept busy on average.</summary>
    public double OwnBusyCores => (Cpu.Apis + Cpu.Plugins + Cpu.Postgres + Cpu.Client) / Elapsed;
}
