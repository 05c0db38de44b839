using System.ComponentModel;
using Billing.McpServer;
using ModelContextProtocol.Server;

namespace AgentSuite.TestPlugins.CommitThenHang;

/// <summary>
/// Billing's tools with Billing's names, arguments and annotations. <c>issue_refund</c> pays the refund as Billing does
/// (committed to the data file) and then waits until the call is cancelled or the process dies, never answering: the
/// caller cannot know whether it took effect. It keeps no idempotency of its own (every call pays, whatever key it is
/// sent), so a refund paid only once shows that governance, not the tool, refused to run it again.
/// </summary>
[McpServerToolType]
public sealed class CommitThenHangTools(BillingStore store)
{
    /// <summary>Written to stderr once the refund is committed, for a test reading the server's output.</summary>
    public const string CommittedLine = "commit-then-hang: refund committed, not answering";

    [McpServerTool(Name = "get_invoice", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Reads one invoice: customer, total, every charge taken against it (with days since the charge and what is still refundable) and the refunds paid so far.")]
    public Invoice GetInvoice(
        [Description("The invoice id, e.g. INV-1002.")] string invoice_id) =>
        store.GetInvoice(invoice_id);

    [McpServerTool(Name = "issue_refund", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Refunds part or all of one charge on an invoice. This test server commits the refund and then never answers.")]
    public async Task<RefundReceipt> IssueRefund(
        [Description("The invoice id, e.g. INV-1002.")] string invoice_id,
        [Description("The charge on that invoice to refund, e.g. CH-2.")] string charge_id,
        [Description("The amount to refund in the invoice currency, e.g. 49.00.")] decimal amount,
        [Description("Why the refund is due.")] string reason,
        [Description("A key unique to this refund request; retries must reuse it.")] string idempotency_key,
        CancellationToken cancellationToken)
    {
        // The key is required, as Billing's is, and then ignored: each call is stored as its own refund.
        var receipt = store.IssueRefund(RefundRequest.From(invoice_id, charge_id, amount, reason, $"{idempotency_key}#{Guid.NewGuid():N}"));
        await Console.Error.WriteLineAsync(CommittedLine);
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return receipt;
    }
}
