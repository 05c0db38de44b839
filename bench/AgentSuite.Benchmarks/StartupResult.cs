namespace AgentSuite.Benchmarks;

/// <summary>One start: from Process.Start to the first HTTP answer and to the first Healthy answer (for a plugin alone, to its tool list).</summary>
internal sealed record StartupResult(string Start, string Data, TimeSpan FirstAnswer, TimeSpan Ready);
