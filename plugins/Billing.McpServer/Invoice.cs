namespace Billing.McpServer;

/// <summary>An invoice with its charges and the refunds paid on it so far.</summary>
public sealed record Invoice(
    string InvoiceId,
    string CustomerId,
    string CustomerName,
    string Description,
    string Currency,
    decimal Total,
    string IssuedOn,
    decimal Charged,
    decimal Refunded,
    IReadOnlyList<Charge> Charges,
    IReadOnlyList<Refund> Refunds);
