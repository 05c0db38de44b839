namespace AgentSuite.Cli.Api;

/// <summary>The answer of <c>GET /api/audit/verify</c>.</summary>
public sealed record AuditVerification(bool Ok, long Count, string? HeadHash, long? FirstBadSeq, string? Problem, AuditAnchorCheck? Anchor = null);
