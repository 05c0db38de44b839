namespace AgentSuite.Governance.Operations;

/// <summary>Allowed tool calls that failed in the window, by tool (<c>server/tool</c>).</summary>
public sealed record FailureFigures(long Total, IReadOnlyDictionary<string, long> ByTool, IReadOnlyList<long> Buckets);
