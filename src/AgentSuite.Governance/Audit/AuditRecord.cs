namespace AgentSuite.Governance.Audit;

/// <summary>An entry as stored: its sequence number and its links in the hash chain.</summary>
public sealed record AuditRecord(long Seq, AuditEntry Entry, string PrevHash, string Hash);
