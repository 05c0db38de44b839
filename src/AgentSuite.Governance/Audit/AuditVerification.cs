namespace AgentSuite.Governance.Audit;

/// <summary>
/// The result of walking the chain. <see cref="FirstBadSeq"/> is the first sequence number whose entry was edited,
/// deleted, moved or inserted; <see cref="Problem"/> says what was found there.
/// </summary>
public sealed record AuditVerification(bool Ok, long Count, string HeadHash, long? FirstBadSeq, string? Problem);
