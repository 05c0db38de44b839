using AgentSuite.Governance.Audit;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The timed turns and their bare MCP calls, and where each turn's time went: its two MCP calls as the app made them,
/// governance (three governed calls), the mock model (five calls), and the rest (conversation store, agent runner,
/// tool loop).
/// </summary>
internal sealed record TurnBenchmarkResult(
    int Turns,
    LatencySummary Turn,
    LatencySummary Bare,
    LatencySummary BareGetInvoice,
    LatencySummary BareCheckRefund,
    LatencySummary McpInTurn,
    LatencySummary Governance,
    LatencySummary McpGovernance,
    LatencySummary HandOffGovernance,
    LatencySummary Model,
    LatencySummary Rest,
    long CompletedInAudit,
    long ExpectedCompleted,
    AuditVerification Audit)
{
    public double MedianRatio => Turn.MedianUs / Bare.MedianUs;

    /// <summary>The agent runtime's share of a turn: what the turn costs beyond its bare MCP calls, of the turn.</summary>
    public double RuntimeShare => (Turn.MedianUs - Bare.MedianUs) / Turn.MedianUs;

    public bool AuditOk => Audit.Ok && CompletedInAudit == ExpectedCompleted;
}
