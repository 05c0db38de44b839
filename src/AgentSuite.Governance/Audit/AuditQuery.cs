namespace AgentSuite.Governance.Audit;

/// <summary>Which entries to read, in sequence order.</summary>
public sealed record AuditQuery(string? ConversationId = null, long AfterSeq = 0, int Limit = int.MaxValue);
