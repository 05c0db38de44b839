using System.Globalization;
using Microsoft.Data.Sqlite;
using ModelContextProtocol;

namespace Billing.McpServer;

/// <summary>Reads invoices and charges and pays refunds, all in the billing data file. Failures are <see cref="McpException"/>s a model can act on.</summary>
public sealed class BillingStore(PluginDatabase database)
{
    private const string ChargeColumns =
        "c.id, c.invoice_id, c.amount_cents, c.charged_at, c.card, " +
        "COALESCE((SELECT SUM(r.amount_cents) FROM refunds r WHERE r.charge_id = c.id), 0)";

    public Invoice GetInvoice(string invoiceId)
    {
        var id = Normalize(invoiceId);
        using var db = database.Open();
        var invoice = db.Query(
            "SELECT i.id, i.customer_id, cu.name, i.description, i.currency, i.total_cents, i.issued_at " +
            "FROM invoices i JOIN customers cu ON cu.id = i.customer_id WHERE i.id = $id",
            r => (Id: r.GetString(0), Customer: r.GetString(1), Name: r.GetString(2), Description: r.GetString(3),
                  Currency: r.GetString(4), Total: r.GetInt64(5), Issued: r.GetString(6)),
            ("$id", id)).SingleOrDefault();
        if (invoice.Id is null)
        {
            throw InvoiceNotFound(invoiceId);
        }

        var charges = db.Query($"SELECT {ChargeColumns} FROM charges c WHERE c.invoice_id = $id ORDER BY c.charged_at, c.id", ReadCharge, ("$id", id));
        var refunds = db.Query(
            "SELECT id, charge_id, amount_cents, reason, created_at FROM refunds WHERE invoice_id = $id ORDER BY seq",
            r => new Refund(r.GetString(0), r.GetString(1), Money.FromCents(r.GetInt64(2)), r.GetString(3), r.GetString(4)),
            ("$id", id));
        return new Invoice(
            invoice.Id, invoice.Customer, invoice.Name, invoice.Description, invoice.Currency, Money.FromCents(invoice.Total),
            Day(invoice.Issued), Money.Sum(charges.Select(c => c.Amount)), Money.Sum(refunds.Select(r => r.Amount)), charges, refunds);
    }

    public CustomerCharges ListCharges(string customerId)
    {
        var id = Normalize(customerId);
        using var db = database.Open();
        var customer = db.Query("SELECT id, name, email FROM customers WHERE id = $id", r => (Id: r.GetString(0), Name: r.GetString(1), Email: r.GetString(2)), ("$id", id))
            .SingleOrDefault();
        if (customer.Id is null)
        {
            throw new McpException($"Customer '{customerId}' does not exist in billing. Customer ids look like CUST-7; find one with the CRM's find_customer(query).");
        }

        var charges = db.Query(
            $"SELECT {ChargeColumns} FROM charges c JOIN invoices i ON i.id = c.invoice_id WHERE i.customer_id = $id ORDER BY c.charged_at DESC, c.id DESC",
            ReadCharge, ("$id", id));
        return new CustomerCharges(customer.Id, customer.Name, customer.Email, charges);
    }

    public RefundReceipt IssueRefund(RefundRequest request) => database.Write(db =>
    {
        if (FindByKey(db, request.IdempotencyKey) is { } earlier)
        {
            return earlier.Request == request
                ? Receipt(db, earlier.Id, request, earlier.CreatedAt, replayed: true)
                : throw new McpException(
                    $"idempotency_key '{request.IdempotencyKey}' was already used for refund {earlier.Id} ({Money.Format(earlier.Request.AmountCents)} on " +
                    $"{earlier.Request.InvoiceId}/{earlier.Request.ChargeId}, reason '{earlier.Request.Reason}'). Use a new key for a different refund, " +
                    "or repeat the original arguments to get that refund back.");
        }

        if (db.Query("SELECT 1 FROM invoices WHERE id = $id", _ => true, ("$id", request.InvoiceId)).Count == 0)
        {
            throw InvoiceNotFound(request.InvoiceId);
        }

        var charge = db.Query($"SELECT {ChargeColumns} FROM charges c WHERE c.id = $c AND c.invoice_id = $i", ReadCharge, ("$c", request.ChargeId), ("$i", request.InvoiceId))
            .SingleOrDefault() ?? throw ChargeNotOnInvoice(db, request);
        var remaining = Money.ToCents(charge.Refundable)!.Value;
        if (request.AmountCents > remaining)
        {
            throw new McpException(remaining == 0
                ? $"Charge {charge.ChargeId} is already fully refunded ({charge.Amount:0.00} charged, {charge.Refunded:0.00} refunded); nothing more can be refunded on it."
                : $"Refund of {Money.Format(request.AmountCents)} exceeds what is still refundable on charge {charge.ChargeId}: {charge.Amount:0.00} charged, " +
                  $"{charge.Refunded:0.00} already refunded, {Money.Format(remaining)} refundable. Refund at most {Money.Format(remaining)}.");
        }

        var refundId = "RF-" + (1001 + db.Query("SELECT COALESCE(MAX(seq), 0) FROM refunds", r => r.GetInt64(0))[0]).ToString(CultureInfo.InvariantCulture);
        var createdAt = BillingSchema.Stamp(DateTimeOffset.UtcNow);
        db.Run(
            "INSERT INTO refunds (id, invoice_id, charge_id, amount_cents, reason, idempotency_key, created_at) VALUES ($id, $i, $c, $a, $r, $k, $at)",
            ("$id", refundId), ("$i", request.InvoiceId), ("$c", request.ChargeId), ("$a", request.AmountCents), ("$r", request.Reason),
            ("$k", request.IdempotencyKey), ("$at", createdAt));
        return Receipt(db, refundId, request, createdAt, replayed: false);
    });

    public static string Normalize(string id) => id.Trim().ToUpperInvariant();

    private static (string Id, RefundRequest Request, string CreatedAt)? FindByKey(SqliteConnection db, string key) =>
        db.Query(
            "SELECT id, invoice_id, charge_id, amount_cents, reason, created_at FROM refunds WHERE idempotency_key = $k",
            r => ((string Id, RefundRequest Request, string CreatedAt)?)(r.GetString(0), new RefundRequest(r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), key), r.GetString(5)),
            ("$k", key)).SingleOrDefault();

    private static RefundReceipt Receipt(SqliteConnection db, string refundId, RefundRequest request, string createdAt, bool replayed)
    {
        var charge = db.Query($"SELECT {ChargeColumns} FROM charges c WHERE c.id = $c", ReadCharge, ("$c", request.ChargeId)).Single();
        var currency = db.Query("SELECT currency FROM invoices WHERE id = $i", r => r.GetString(0), ("$i", request.InvoiceId)).Single();
        return new RefundReceipt(refundId, request.InvoiceId, request.ChargeId, Money.FromCents(request.AmountCents), currency, charge.Refundable, request.Reason, createdAt, replayed);
    }

    private static McpException InvoiceNotFound(string invoiceId) =>
        new($"Invoice '{invoiceId}' does not exist. Invoice ids look like INV-1002; list a customer's charges and their invoices with list_charges(customer_id).");

    private static McpException ChargeNotOnInvoice(SqliteConnection db, RefundRequest request)
    {
        var charges = db.Query("SELECT id FROM charges WHERE invoice_id = $i ORDER BY charged_at, id", r => r.GetString(0), ("$i", request.InvoiceId));
        return new McpException(
            $"Charge '{request.ChargeId}' is not on invoice {request.InvoiceId}; its charges are {string.Join(", ", charges)}. " +
            $"Call get_invoice(\"{request.InvoiceId}\") to see each charge and what is still refundable on it.");
    }

    private static Charge ReadCharge(SqliteDataReader r)
    {
        var chargedAt = DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var amount = r.GetInt64(2);
        var refunded = r.GetInt64(5);
        return new Charge(
            r.GetString(0), r.GetString(1), Money.FromCents(amount), Day(r.GetString(3)), (int)(DateTimeOffset.UtcNow - chargedAt).TotalDays,
            r.GetString(4), Money.FromCents(refunded), Money.FromCents(amount - refunded));
    }

    private static string Day(string stamp) => stamp[..10];
}
