namespace AgentSuite.Governance.Audit;

/// <summary>What <see cref="AuditSliceVerifier"/> found: entries checked, seq gaps between them, the last hash, and the first bad seq.</summary>
public sealed record AuditSliceReport(bool Ok, long Count, long Gaps, string? LastHash, long? FirstBadSeq, string? Problem);
