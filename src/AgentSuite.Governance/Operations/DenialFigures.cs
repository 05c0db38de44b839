namespace AgentSuite.Governance.Operations;

/// <summary>Tool calls governance denied in the window, by the pipeline stage that denied them.</summary>
public sealed record DenialFigures(long Total, IReadOnlyDictionary<string, long> ByStage, IReadOnlyList<long> Buckets);
