namespace AgentSuite.Api.Contract;

/// <summary>
/// The chain against the anchor kept outside the database: <c>none</c>, <c>matches</c>, <c>truncated</c>,
/// <c>rewritten</c>, <c>forged</c>, <c>unreadable</c> or <c>unchecked</c>, with the anchor's head and where it differs.
/// </summary>
internal sealed record AuditAnchorCheckView(bool Ok, string Status, long? Count, string? HeadHash, string? At, long? FirstBadSeq, string? Problem);
