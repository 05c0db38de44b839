using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>
/// The sample domain in memory, answering like the real Billing, Policy and CRM servers (snake_case JSON, the same
/// fields and errors) and wrapped as governance hands results to the model. The coordinator's ask_billing and
/// ask_support run the specialist through the same loop, as the agents project does.
/// </summary>
public sealed class DemoDesk
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly AgentLoop _loop;
    private readonly List<Charge> _charges =
    [
        new("CH-1", "INV-1002", 49.00m, "2026-11-18", 3, "visa **** 4242"),
        new("CH-2", "INV-1002", 49.00m, "2026-11-18", 3, "visa **** 4242"),
        new("CH-3", "INV-1003", 49.00m, "2026-10-18", 34, "visa **** 4242"),
    ];

    public DemoDesk(IChatClient model, bool streaming = false, string? conversation = null)
    {
        _loop = new AgentLoop(model, streaming, conversation: conversation);
        GetInvoice = Tool("billing_get_invoice", "billing/get_invoice", args => Invoice(Text(args, "invoice_id")));
        CheckRefund = Tool("policy_check_refund", "policy/check_refund", args => PolicyCheck(args["amount"].GetDecimal(), args["days_since_charge"].GetInt32(), Text(args, "reason")));
        IssueRefund = new FakeTool("billing_issue_refund", args => RefundDenial is { } denial
            ? Json.Denial("billing/issue_refund", "arguments", denial)
            : Json.Envelope("billing/issue_refund", Serialize(Refund(args))));
        FindCustomer = Tool("crm_find_customer", "crm/find_customer", args => new
        {
            query = Text(args, "query"),
            matches = new[] { new { customer_id = "CUST-7", name = "Dana Whitfield", email = "dana@example.com", plan = "Pro, monthly", open_cases = 0 } },
            note = (string?)null,
        });
        CreateCase = Tool("crm_create_case", "crm/create_case", args => new
        {
            case_id = "CASE-503",
            customer_id = Text(args, "customer_id"),
            customer_name = "Dana Whitfield",
            subject = Text(args, "subject"),
            description = Text(args, "description"),
            status = "open",
            priority = "normal",
            created_at = "2026-11-21T09:00:00.0000000Z",
            history = new[] { new { at = "2026-11-21T09:00:00.0000000Z", kind = "opened", detail = Text(args, "subject") } },
        });
        AskBilling = Specialist("billing", [GetInvoice, CheckRefund, IssueRefund]);
        AskSupport = Specialist("support", [FindCustomer, CreateCase]);
    }

    public FakeTool GetInvoice { get; }

    public FakeTool CheckRefund { get; }

    public FakeTool IssueRefund { get; }

    public FakeTool FindCustomer { get; }

    public FakeTool CreateCase { get; }

    public FakeTool AskBilling { get; }

    public FakeTool AskSupport { get; }

    /// <summary>Refunds actually paid, as the billing server's own data would show them.</summary>
    public List<(string RefundId, string ChargeId, decimal Amount, string Key)> Refunds { get; } = [];

    /// <summary>When set, governance denies every refund with this reason.</summary>
    public string? RefundDenial { get; set; }

    public IReadOnlyList<(string Agent, ChatResponse Response)> Responses => _loop.Responses;

    public Task<string> AskCoordinatorAsync(string text) => _loop.RunAsync("coordinator", text, [AskBilling, AskSupport]);

    private FakeTool Specialist(string agent, IReadOnlyList<AIFunction> tools) =>
        new("ask_" + agent, args => Json.Envelope("agents/ask_" + agent, _loop.RunAsync(agent, Text(args, "request"), tools).GetAwaiter().GetResult()));

    private static FakeTool Tool(string name, string key, Func<IReadOnlyDictionary<string, JsonElement>, object> run) =>
        new(name, args => Json.Envelope(key, Serialize(run(args))));

    private static JsonElement Serialize(object value) => JsonSerializer.SerializeToElement(value, SnakeCase);

    private static string Text(IReadOnlyDictionary<string, JsonElement> args, string name) => args[name].GetString()!;

    private object Invoice(string invoiceId)
    {
        var charges = _charges.Where(c => c.InvoiceId == invoiceId).ToList();
        if (charges.Count == 0)
        {
            throw new InvalidOperationException($"Invoice '{invoiceId}' does not exist. Invoice ids look like INV-1002; list a customer's charges and their invoices with list_charges(customer_id).");
        }

        return new
        {
            invoice_id = invoiceId,
            customer_id = "CUST-7",
            customer_name = "Dana Whitfield",
            description = "Pro plan, monthly",
            currency = "USD",
            total = 49.00m,
            issued_on = "2026-11-18",
            charged = charges.Sum(c => c.Amount),
            refunded = Refunds.Sum(r => r.Amount),
            charges = charges.Select(c => new
            {
                charge_id = c.ChargeId,
                invoice_id = c.InvoiceId,
                amount = c.Amount,
                charged_on = c.ChargedOn,
                days_since_charge = c.DaysSinceCharge,
                card = c.Card,
                refunded = Refunded(c.ChargeId),
                refundable = c.Amount - Refunded(c.ChargeId),
            }),
            refunds = Refunds.Select(r => new { refund_id = r.RefundId, charge_id = r.ChargeId, amount = r.Amount, reason = "duplicate charge", created_at = "2026-11-21T09:00:00Z" }),
        };
    }

    private static object PolicyCheck(decimal amount, int days, string reason)
    {
        var band = amount <= 100m ? "automatic" : amount <= 500m ? "second_person" : "finance";
        return new
        {
            amount,
            days_since_charge = days,
            reason_kind = reason.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? "duplicate_charge" : "standard",
            window_days = 60,
            within_window = days <= 60,
            band,
            handling = "Refund it now; no second person is needed.",
            explanation = $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} is in the {band} band (up to 100.00): Refund it now; no second person is needed.",
        };
    }

    private object Refund(IReadOnlyDictionary<string, JsonElement> args)
    {
        var key = Text(args, "idempotency_key");
        var chargeId = Text(args, "charge_id");
        var amount = args["amount"].GetDecimal();
        if (Refunds.FirstOrDefault(r => r.Key == key) is { RefundId: not null } earlier)
        {
            return Receipt(earlier.RefundId, chargeId, amount, replayed: true);
        }

        var refundable = _charges.Single(c => c.ChargeId == chargeId).Amount - Refunded(chargeId);
        if (amount > refundable)
        {
            throw new InvalidOperationException($"Refund of {amount:0.00} exceeds what is still refundable on charge {chargeId}: {refundable:0.00} refundable.");
        }

        var id = $"RF-{2001 + Refunds.Count}";
        Refunds.Add((id, chargeId, amount, key));
        return Receipt(id, chargeId, amount, replayed: false);

        object Receipt(string refundId, string charge, decimal paid, bool replayed) => new
        {
            refund_id = refundId,
            invoice_id = Text(args, "invoice_id"),
            charge_id = charge,
            amount = paid,
            currency = "USD",
            remaining_refundable = _charges.Single(c => c.ChargeId == charge).Amount - Refunded(charge),
            reason = Text(args, "reason"),
            created_at = "2026-11-21T09:00:00.0000000Z",
            replayed,
        };
    }

    private decimal Refunded(string chargeId) => Refunds.Where(r => r.ChargeId == chargeId).Sum(r => r.Amount);

    private sealed record Charge(string ChargeId, string InvoiceId, decimal Amount, string ChargedOn, int DaysSinceCharge, string Card);
}
