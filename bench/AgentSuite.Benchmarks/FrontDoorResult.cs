namespace AgentSuite.Benchmarks;

/// <summary>The frontdoor benchmark's phases, the warm-up's tally, Billing's file afterwards and the audit chain's check.</summary>
internal sealed record FrontDoorResult(
    FrontDoorPhaseResult Http,
    FrontDoorPhaseResult Fresh,
    FrontDoorPhaseResult OneAgent,
    FrontDoorPhaseResult Persistent,
    FrontDoorTally WarmUp,
    BillingLedger Ledger,
    RefundBook Book,
    (bool Ok, long Count, string? Problem) Audit)
{
    public IEnumerable<FrontDoorPhaseResult> Phases => [Http, Fresh, OneAgent, Persistent];

    public int Errors => Phases.Sum(p => p.Tally.ErrorCount) + WarmUp.ErrorCount;
}
