namespace AgentSuite.Governance.Audit;

/// <summary>The chain walked from entry 1, and compared with its anchor. The chain's own problem comes first.</summary>
public sealed record AuditReport(AuditVerification Chain, AuditAnchorCheck Anchor)
{
    public bool Ok => Chain.Ok && Anchor.Ok;

    public long? FirstBadSeq => Chain.Ok ? Anchor.FirstBadSeq : Chain.FirstBadSeq;

    public string? Problem => Chain.Ok ? Anchor.Problem : Chain.Problem;
}
