using System.Diagnostics;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Median, mean and tail of per-call timings taken with <see cref="Stopwatch.GetTimestamp"/>, and how many took over
/// 1 ms.
/// </summary>
internal sealed record LatencySummary(double MedianUs, double MeanUs, double P90Us, double P95Us, double P99Us, int OverOneMs)
{
    public static LatencySummary From(long[] ticks)
    {
        var sorted = (long[])ticks.Clone();
        Array.Sort(sorted);
        var oneMs = Stopwatch.Frequency / 1_000;
        return new LatencySummary(
            Percentile(sorted, 0.50),
            sorted.Average() * 1_000_000.0 / Stopwatch.Frequency,
            Percentile(sorted, 0.90),
            Percentile(sorted, 0.95),
            Percentile(sorted, 0.99),
            sorted.Count(t => t > oneMs));
    }

    /// <summary>Nearest-rank percentile, in microseconds.</summary>
    private static double Percentile(long[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
