namespace AgentSuite.Cli.Api;

/// <summary>Denials (broken down by stage) or failures (by tool) in a window: the total, its breakdown and its buckets.</summary>
public sealed record CountFigures(long Total, IReadOnlyDictionary<string, long>? ByStage, IReadOnlyDictionary<string, long>? ByTool, IReadOnlyList<long> Buckets);
