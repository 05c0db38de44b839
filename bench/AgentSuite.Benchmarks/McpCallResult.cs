using AgentSuite.Governance.Audit;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The bare, the app-connection and the governed MCP call, timed interleaved, the governed call split around its
/// tool's run, and the audit chain the governed calls left.
/// </summary>
internal sealed record McpCallResult(int TimedCalls, LatencySummary Bare, LatencySummary Connection, LatencySummary Governed, McpCallParts Parts, AuditVerification Audit, long ExpectedAuditEntries)
{
    public double MedianRatio => Governed.MedianUs / Bare.MedianUs;

    public double AddedMedianUs => Governed.MedianUs - Bare.MedianUs;

    public bool AuditOk => Audit.Ok && Audit.Count == ExpectedAuditEntries;
}
