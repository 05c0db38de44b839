namespace AgentSuite.Cli.Api;

/// <summary>The answer of <c>GET /api/status/metrics</c>: the last hour and the last day.</summary>
public sealed record OperationsMetrics(DateTimeOffset GeneratedAt, IReadOnlyList<OperationsWindow> Windows);
