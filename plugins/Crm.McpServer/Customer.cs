namespace Crm.McpServer;

/// <summary>A customer as the CRM knows them; the id is the same in billing.</summary>
public sealed record Customer(string CustomerId, string Name, string Email, string Plan, int OpenCases);
