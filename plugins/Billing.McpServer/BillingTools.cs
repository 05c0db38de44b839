using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Billing.McpServer;

/// <summary>The billing tools. Argument names are snake_case because they are the wire contract a model writes.</summary>
[McpServerToolType]
public sealed class BillingTools(BillingStore store)
{
    [McpServerTool(Name = "get_invoice", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Reads one invoice: customer, total, every charge taken against it (with days since the charge and what is still refundable) and the refunds paid so far.")]
    public Invoice GetInvoice(
        [Description("The invoice id, e.g. INV-1002.")] string invoice_id) =>
        store.GetInvoice(invoice_id);

    [McpServerTool(Name = "list_charges", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Lists every charge taken from one customer, newest first, with its invoice and what is still refundable on it.")]
    public CustomerCharges ListCharges(
        [Description("The customer id, e.g. CUST-7 (find it with the CRM's find_customer).")] string customer_id) =>
        store.ListCharges(customer_id);

    [McpServerTool(Name = "issue_refund", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Refunds part or all of one charge on an invoice and returns the refund id and what stays refundable. Refuses more than the charge's " +
        "refundable remainder. Idempotent by key: the same idempotency_key again returns the original refund and pays nothing more; the same key " +
        "with different arguments is refused.")]
    public RefundReceipt IssueRefund(
        [Description("The invoice id, e.g. INV-1002.")] string invoice_id,
        [Description("The charge on that invoice to refund, e.g. CH-2 (get_invoice lists them).")] string charge_id,
        [Description("The amount to refund in the invoice currency, greater than 0 with at most two decimals, e.g. 49.00.")] decimal amount,
        [Description("Why the refund is due, e.g. \"duplicate charge\"; kept with the refund.")] string reason,
        [Description("A key unique to this refund request (e.g. conversation id + tool-call id); retries must reuse it.")] string idempotency_key) =>
        store.IssueRefund(RefundRequest.From(invoice_id, charge_id, amount, reason, idempotency_key));
}
