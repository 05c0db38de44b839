namespace Billing.McpServer;

/// <summary>
/// The answer to <c>issue_refund</c>. <see cref="Replayed"/> is true when the idempotency key had already been used for
/// this exact refund: nothing was paid again and this is the original refund.
/// </summary>
public sealed record RefundReceipt(
    string RefundId,
    string InvoiceId,
    string ChargeId,
    decimal Amount,
    string Currency,
    decimal RemainingRefundable,
    string Reason,
    string CreatedAt,
    bool Replayed);
