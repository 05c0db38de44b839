namespace AgentSuite.Benchmarks;

/// <summary>One call's classified answer; <see cref="RefundId"/> is set for a refund reply.</summary>
internal sealed record FrontDoorOutcome(FrontDoorOutcomeKind Kind, string Reason, string? RefundId = null)
{
    public static FrontDoorOutcome Answered(string? refundId = null) => new(FrontDoorOutcomeKind.Answered, "", refundId);

    public static FrontDoorOutcome Refused(string reason) => new(FrontDoorOutcomeKind.Refused, reason);

    public static FrontDoorOutcome Error(string reason) => new(FrontDoorOutcomeKind.Error, reason);
}
