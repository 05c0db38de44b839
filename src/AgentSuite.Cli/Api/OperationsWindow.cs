namespace AgentSuite.Cli.Api;

/// <summary>One window of <c>GET /api/status/metrics</c>; docs/observability.md defines each figure.</summary>
public sealed record OperationsWindow(string Window, DateTimeOffset From, DateTimeOffset To, int BucketSeconds,
    TurnFigures Turns, ApprovalFigures Approvals, CountFigures Denials, CountFigures Failures);
