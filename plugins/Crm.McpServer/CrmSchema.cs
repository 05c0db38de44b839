using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Crm.McpServer;

/// <summary>The CRM tables and the demo data a first start seeds; customer ids match the billing server's.</summary>
public static class CrmSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS customers (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE COLLATE NOCASE, plan TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS cases (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, customer_id TEXT NOT NULL REFERENCES customers(id),
            subject TEXT NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL, priority TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS case_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL REFERENCES cases(id), at TEXT NOT NULL,
            kind TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_cases_customer ON cases(customer_id);
        CREATE INDEX IF NOT EXISTS ix_case_events_case ON case_events(case_id);
        """;

    public static void Seed(SqliteConnection db, DateTimeOffset now)
    {
        Customer(db, "CUST-7", "Dana Whitfield", "dana@example.com", "Pro, monthly");
        Customer(db, "CUST-12", "Marcus Chen", "marcus.chen@example.com", "Team, annual");
        Customer(db, "CUST-21", "Priya Raman", "priya.raman@example.com", "Enterprise, 10 seats");
        Customer(db, "CUST-33", "Tomas Ortega", "tomas.ortega@example.com", "Pro, monthly");

        Case(db, "CUST-12", "Invoice address change", "Please put the new office address on future invoices.", "closed", now.AddDays(-40));
        Case(db, "CUST-21", "SSO setup for new seats", "Two of the ten seats cannot sign in with SSO.", "open", now.AddDays(-6));
    }

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Inserts a case and its "opened" event; returns the new case id (CASE-501, CASE-502, ...).</summary>
    public static string Case(SqliteConnection db, string customerId, string subject, string description, string status, DateTimeOffset at)
    {
        var next = db.Query("SELECT COALESCE(MAX(seq), 0) + 1 FROM cases", r => r.GetInt64(0))[0];
        var id = "CASE-" + (500 + next).ToString(CultureInfo.InvariantCulture);
        db.Run(
            "INSERT INTO cases (id, customer_id, subject, description, status, priority, created_at) VALUES ($id, $c, $s, $d, $st, 'normal', $at)",
            ("$id", id), ("$c", customerId), ("$s", subject), ("$d", description), ("$st", status), ("$at", Stamp(at)));
        Event(db, id, at, "opened", subject);
        if (status == "closed")
        {
            Event(db, id, at.AddDays(1), "closed", "Resolved.");
        }

        return id;
    }

    public static void Event(SqliteConnection db, string caseId, DateTimeOffset at, string kind, string detail) =>
        db.Run("INSERT INTO case_events (case_id, at, kind, detail) VALUES ($c, $at, $k, $d)", ("$c", caseId), ("$at", Stamp(at)), ("$k", kind), ("$d", detail));

    private static void Customer(SqliteConnection db, string id, string name, string email, string plan) =>
        db.Run("INSERT INTO customers (id, name, email, plan) VALUES ($id, $n, $e, $p)", ("$id", id), ("$n", name), ("$e", email), ("$p", plan));
}
