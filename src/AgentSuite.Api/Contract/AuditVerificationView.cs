namespace AgentSuite.Api.Contract;

/// <summary>
/// <c>GET /api/audit/verify</c>: whether the chain holds and matches its anchor; when it does not, where and what broke
/// (the chain's own problem first, then the anchor's, then other instances' anchors': empty on one instance).
/// </summary>
internal sealed record AuditVerificationView(bool Ok, long Count, string HeadHash, long? FirstBadSeq, string? Problem, AuditAnchorCheckView Anchor, IReadOnlyList<AuditPeerCheckView> Peers);
