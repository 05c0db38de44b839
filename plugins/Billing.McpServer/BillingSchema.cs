using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Billing.McpServer;

/// <summary>The billing tables and the demo data a first start seeds (dates relative to that start).</summary>
public static class BillingSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS customers (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS invoices (
            id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id), description TEXT NOT NULL,
            currency TEXT NOT NULL, total_cents INTEGER NOT NULL, issued_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS charges (
            id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL REFERENCES invoices(id), amount_cents INTEGER NOT NULL,
            charged_at TEXT NOT NULL, card TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS refunds (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, invoice_id TEXT NOT NULL REFERENCES invoices(id),
            charge_id TEXT NOT NULL REFERENCES charges(id), amount_cents INTEGER NOT NULL, reason TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_charges_invoice ON charges(invoice_id);
        CREATE INDEX IF NOT EXISTS ix_refunds_charge ON refunds(charge_id);
        """;

    public static void Seed(SqliteConnection db, DateTimeOffset now)
    {
        Customer(db, "CUST-7", "Dana Whitfield", "dana@example.com");
        Customer(db, "CUST-12", "Marcus Chen", "marcus.chen@example.com");
        Customer(db, "CUST-21", "Priya Raman", "priya.raman@example.com");
        Customer(db, "CUST-33", "Tomas Ortega", "tomas.ortega@example.com");

        Invoice(db, "INV-1001", "CUST-7", "Pro plan, monthly", 4900, now.AddDays(-33));
        Charge(db, "CH-5", "INV-1001", 4900, now.AddDays(-33), "visa **** 4242");

        // Dana was charged twice for one month: the demo's refund story.
        Invoice(db, "INV-1002", "CUST-7", "Pro plan, monthly", 4900, now.AddDays(-3));
        Charge(db, "CH-1", "INV-1002", 4900, now.AddDays(-3), "visa **** 4242");
        Charge(db, "CH-2", "INV-1002", 4900, now.AddDays(-3).AddMinutes(2), "visa **** 4242");

        Invoice(db, "INV-1003", "CUST-12", "Team plan, annual", 25000, now.AddDays(-10));
        Charge(db, "CH-3", "INV-1003", 25000, now.AddDays(-10), "mastercard **** 5100");

        Invoice(db, "INV-1004", "CUST-21", "Enterprise plan, 10 seats", 120000, now.AddDays(-20));
        Charge(db, "CH-4", "INV-1004", 120000, now.AddDays(-20), "amex **** 1005");
        db.Run(
            "INSERT INTO refunds (id, invoice_id, charge_id, amount_cents, reason, idempotency_key, created_at) " +
            "VALUES ('RF-1001', 'INV-1004', 'CH-4', 20000, 'Two seats cancelled in the first week', 'seed-RF-1001', $at)",
            ("$at", Stamp(now.AddDays(-15))));

        Invoice(db, "INV-1005", "CUST-33", "Pro plan, monthly", 4900, now.AddDays(-75));
        Charge(db, "CH-6", "INV-1005", 4900, now.AddDays(-75), "visa **** 0077");

        // Marcus's quarterly add-on was charged twice: a duplicate above the refund approval threshold (100).
        Invoice(db, "INV-1006", "CUST-12", "Support add-on, quarterly", 15000, now.AddDays(-2));
        Charge(db, "CH-7", "INV-1006", 15000, now.AddDays(-2), "mastercard **** 5100");
        Charge(db, "CH-8", "INV-1006", 15000, now.AddDays(-2).AddMinutes(1), "mastercard **** 5100");
    }

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static void Customer(SqliteConnection db, string id, string name, string email) =>
        db.Run("INSERT INTO customers (id, name, email) VALUES ($id, $name, $email)", ("$id", id), ("$name", name), ("$email", email));

    private static void Invoice(SqliteConnection db, string id, string customer, string description, long cents, DateTimeOffset at) =>
        db.Run(
            "INSERT INTO invoices (id, customer_id, description, currency, total_cents, issued_at) VALUES ($id, $c, $d, 'USD', $t, $at)",
            ("$id", id), ("$c", customer), ("$d", description), ("$t", cents), ("$at", Stamp(at)));

    private static void Charge(SqliteConnection db, string id, string invoice, long cents, DateTimeOffset at, string card) =>
        db.Run(
            "INSERT INTO charges (id, invoice_id, amount_cents, charged_at, card) VALUES ($id, $i, $a, $at, $card)",
            ("$id", id), ("$i", invoice), ("$a", cents), ("$at", Stamp(at)), ("$card", card));
}
