namespace AgentSuite.Governance.Audit;

/// <summary>
/// The chain against its anchor. <see cref="FirstBadSeq"/> is the first missing entry (truncated) or the first entry
/// that may have changed (rewritten: every anchored entry before it still matches); <see cref="Problem"/> says what.
/// </summary>
public sealed record AuditAnchorCheck(string Status, AuditAnchor? Anchor, long? FirstBadSeq, string? Problem)
{
    public bool Ok => Status is AuditAnchorStatus.None or AuditAnchorStatus.Matches;
}
