namespace Crm.McpServer;

/// <summary>A support case with its history, oldest event first.</summary>
public sealed record SupportCase(
    string CaseId,
    string CustomerId,
    string CustomerName,
    string Subject,
    string Description,
    string Status,
    string Priority,
    string CreatedAt,
    IReadOnlyList<CaseEvent> History);
