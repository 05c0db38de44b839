using AgentSuite.Governance.Audit;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The timed turns and their bare MCP calls, and where each turn's time went: its two MCP calls as the app made them,
/// governance (three governed calls), the mock model (five calls), and the rest (conversation store, agent runner,
/// tool-calling loop). The agent runtime is the turn minus its MCP calls and governance: the model and the rest.
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
    LatencySummary Runtime,
    double MedianTurnRuntimeShare,
    long CompletedInAudit,
    long ExpectedCompleted,
    AuditVerification Audit)
{
    public double MedianRatio => Turn.MedianUs / Bare.MedianUs;

    /// <summary>What a turn costs beyond its bare MCP calls, of the turn (medians).</summary>
    public double RuntimeShare => (Turn.MedianUs - Bare.MedianUs) / Turn.MedianUs;

    /// <summary>The agent runtime's share of the turn: turn − its MCP calls − governance, of the turn (means, which add up).</summary>
    public double RuntimeShareOfMeanTurn => Runtime.MeanUs / Turn.MeanUs;

    public bool AuditOk => Audit.Ok && CompletedInAudit == ExpectedCompleted;
}
