namespace AgentSuite.Cli.Api;

/// <summary>The chain against its signed anchor, in <c>GET /api/audit/verify</c>.</summary>
public sealed record AuditAnchorCheck(bool Ok, string? Status, long? Count, string? HeadHash, string? At, long? FirstBadSeq, string? Problem);
