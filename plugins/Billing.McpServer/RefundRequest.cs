using ModelContextProtocol;

namespace Billing.McpServer;

/// <summary>A refund as asked for, checked and normalised; two requests are the same refund when all fields are equal.</summary>
public sealed record RefundRequest(string InvoiceId, string ChargeId, long AmountCents, string Reason, string IdempotencyKey)
{
    /// <summary>Checks the arguments of <c>issue_refund</c>; throws an <see cref="McpException"/> saying what to send instead.</summary>
    public static RefundRequest From(string invoiceId, string chargeId, decimal amount, string reason, string idempotencyKey)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            throw new McpException("idempotency_key is empty. Pass one unique key per refund (e.g. the conversation and tool-call id) so a retry is never paid twice.");
        }

        if (amount <= 0)
        {
            throw new McpException($"amount must be greater than 0 (got {amount}). Pass the refund in the invoice currency, e.g. 49.00.");
        }

        if (Money.ToCents(amount) is not { } cents)
        {
            throw new McpException($"amount {amount} has more than two decimal places. Pass cents at most, e.g. 49.00.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new McpException("reason is empty. Say why the refund is due, e.g. \"duplicate charge\".");
        }

        return new RefundRequest(BillingStore.Normalize(invoiceId), BillingStore.Normalize(chargeId), cents, reason.Trim(), idempotencyKey.Trim());
    }
}
