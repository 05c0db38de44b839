namespace AgentSuite.Governance.Audit;

/// <summary>
/// The chain walked from entry 1, and compared with its anchor and with the anchors other instances sharing the chain
/// published (<see cref="IAuditAnchorPeers"/>). The chain's own problem comes first, then this instance's anchor's, then
/// the first peer's.
/// </summary>
public sealed record AuditReport(AuditVerification Chain, AuditAnchorCheck Anchor)
{
    public IReadOnlyList<AuditPeerCheck> Peers { get; init; } = [];

    public bool Ok => Chain.Ok && Anchor.Ok && Peers.All(p => p.Ok);

    public long? FirstBadSeq => !Chain.Ok ? Chain.FirstBadSeq : !Anchor.Ok ? Anchor.FirstBadSeq : FailingPeer?.Check.FirstBadSeq;

    public string? Problem => !Chain.Ok ? Chain.Problem : !Anchor.Ok ? Anchor.Problem
        : FailingPeer is { } peer ? $"the anchor of the instance at {peer.Source}: {peer.Check.Problem}" : null;

    private AuditPeerCheck? FailingPeer => Peers.FirstOrDefault(p => !p.Ok);
}
