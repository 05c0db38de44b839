namespace AgentSuite.Governance.Operations;

/// <summary>The figures of the last hour and the last day, as <c>GET /api/status/metrics</c> serves them.</summary>
public sealed record OperationsReport(DateTimeOffset GeneratedAt, IReadOnlyList<OperationsWindow> Windows);
