namespace AgentSuite.Governance.Audit;

/// <summary>One instance's published anchor (<see cref="IAuditAnchorPeers"/>), or why what is kept for it is not an anchor.</summary>
public sealed record AuditPeerAnchor(string Source, AuditAnchor? Anchor, string? Unreadable = null);
