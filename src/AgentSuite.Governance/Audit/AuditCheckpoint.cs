namespace AgentSuite.Governance.Audit;

/// <summary>An earlier head the anchor still vouches for: entry <see cref="Seq"/> had hash <see cref="Hash"/>.</summary>
public sealed record AuditCheckpoint(long Seq, string Hash);
