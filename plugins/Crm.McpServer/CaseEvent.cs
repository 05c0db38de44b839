namespace Crm.McpServer;

/// <summary>One entry in a case's history: opened, escalated, closed.</summary>
public sealed record CaseEvent(string At, string Kind, string Detail);
