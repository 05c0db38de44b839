namespace AgentSuite.Benchmarks;

/// <summary>One way of calling the tool, measured: per-call latency and managed bytes allocated per call.</summary>
internal sealed record CallMeasurement(LatencySummary Latency, double BytesPerCall);
