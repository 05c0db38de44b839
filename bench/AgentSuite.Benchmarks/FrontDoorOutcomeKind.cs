namespace AgentSuite.Benchmarks;

/// <summary>How one call ended: a reply, a reasoned refusal (by reason), or an error (anything else).</summary>
internal enum FrontDoorOutcomeKind
{
    Answered,
    Refused,
    Error,
}
