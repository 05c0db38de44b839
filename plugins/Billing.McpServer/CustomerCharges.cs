namespace Billing.McpServer;

/// <summary>Every charge taken from one customer, newest first.</summary>
public sealed record CustomerCharges(string CustomerId, string Name, string Email, IReadOnlyList<Charge> Charges);
