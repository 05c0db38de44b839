namespace Billing.McpServer;

/// <summary>A refund already paid out on one charge.</summary>
public sealed record Refund(string RefundId, string ChargeId, decimal Amount, string Reason, string CreatedAt);
