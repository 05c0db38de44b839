namespace AgentSuite.Governance.Operations;

/// <summary>One window's figures (docs/observability.md, "Operations figures", defines each).</summary>
public sealed record OperationsWindow(
    string Window, DateTimeOffset From, DateTimeOffset To, int BucketSeconds,
    TurnFigures Turns, ApprovalFigures Approvals, DenialFigures Denials, FailureFigures Failures);
