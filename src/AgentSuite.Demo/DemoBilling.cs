using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace AgentSuite.Demo;

/// <summary>A tiny in-process billing system whose ledger shows what really happened.</summary>
internal sealed class DemoBilling
{
    private readonly ConcurrentQueue<string> _refunds = new();

    public IReadOnlyCollection<string> Refunds => _refunds;

    public AIFunction GetInvoice() => AIFunctionFactory.Create(
        (string invoice_id) => new { invoice = invoice_id, customer = "CUST-7", total = 180m, charges = new[] { 90m, 90m }, note = "card on file 4111 1111 1111 1111" },
        "get_invoice",
        "Reads an invoice and its charges.");

    public AIFunction IssueRefund() => AIFunctionFactory.Create(
        (string invoice_id, decimal amount) =>
        {
            var id = $"rf_{_refunds.Count + 1:000}";
            _refunds.Enqueue($"{id}: {amount} on {invoice_id}");
            return new { refundId = id, invoice = invoice_id, amount };
        },
        "issue_refund",
        "Refunds an amount on an invoice to the customer's card.");

    public AIFunction EscalateCase() => AIFunctionFactory.Create(
        (string case_id) => new { @case = case_id, escalated = true },
        "escalate_case",
        "Escalates a support case to a human team.");
}
