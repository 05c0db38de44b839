namespace AgentSuite.Cli.Api;

/// <summary>Approvals requested in a window, per turn, and how long the decided ones waited (null when none).</summary>
public sealed record ApprovalFigures(long Requested, double? PerTurn, double? WaitP50Seconds, double? WaitP95Seconds, IReadOnlyList<long> Buckets);
