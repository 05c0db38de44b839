namespace AgentSuite.Benchmarks;

/// <summary>
/// The whole machine's CPU from /proc/stat, every process included (other sessions' builds too): shows whether a phase
/// had cores to spare or the machine was full.
/// </summary>
internal sealed record MachineCpu(long Busy, long Total)
{
    public static MachineCpu Take()
    {
        // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks since boot.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var total = fields.Sum();
        return new MachineCpu(total - fields[3] - fields[4], total);
    }

    public static MachineCpu operator -(MachineCpu after, MachineCpu before) => new(after.Busy - before.Busy, after.Total - before.Total);

    /// <summary>Busy share of all cores, as a number of cores.</summary>
    public double BusyCores => Total == 0 ? 0 : (double)Busy / Total * Environment.ProcessorCount;
}
