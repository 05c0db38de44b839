namespace Billing.McpServer;

/// <summary>One payment taken against an invoice, with what has been refunded from it and what still can be.</summary>
public sealed record Charge(
    string ChargeId,
    string InvoiceId,
    decimal Amount,
    string ChargedOn,
    int DaysSinceCharge,
    string Card,
    decimal Refunded,
    decimal Refundable);
