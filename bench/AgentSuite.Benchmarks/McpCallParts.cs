namespace AgentSuite.Benchmarks;

/// <summary>
/// A governed MCP call split around its tool's run (before: filters, the "allowed" entry and its commit; after: the
/// "completed" entry and its commit, screening), and an audit append alone, back to back on the same file.
/// </summary>
internal sealed record McpCallParts(LatencySummary Before, LatencySummary Tool, LatencySummary After, LatencySummary AppendBackToBack);
