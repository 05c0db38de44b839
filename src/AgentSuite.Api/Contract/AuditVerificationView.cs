namespace AgentSuite.Api.Contract;

/// <summary><c>GET /api/audit/verify</c>: whether the chain holds; when it does not, where and what broke.</summary>
internal sealed record AuditVerificationView(bool Ok, long Count, string HeadHash, long? FirstBadSeq, string? Problem);
