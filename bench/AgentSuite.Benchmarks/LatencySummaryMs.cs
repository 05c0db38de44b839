namespace AgentSuite.Benchmarks;

/// <summary>Median and slowest of a few timed runs, in milliseconds.</summary>
internal sealed record LatencySummaryMs(double MedianMs, double MaxMs);
