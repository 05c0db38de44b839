namespace AgentSuite.Cli.Api;

/// <summary>Turns that ended in a window, and their duration percentiles (null when none ended).</summary>
public sealed record TurnFigures(long Count, long Completed, long Failed, double? P50Ms, double? P95Ms, IReadOnlyList<long> Buckets);
