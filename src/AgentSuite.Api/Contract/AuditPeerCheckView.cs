namespace AgentSuite.Api.Contract;

/// <summary>
/// The chain against another instance's anchor, published to the shared database: <see cref="Source"/> names that
/// instance's anchor (<c>machine:path</c>); the status is one of the anchor's, or <c>other-key</c> (not checkable here).
/// </summary>
internal sealed record AuditPeerCheckView(string Source, bool Ok, string Status, long? Count, string? HeadHash, string? At, long? FirstBadSeq, string? Problem);
