using Microsoft.Data.Sqlite;

namespace Policy.McpServer;

/// <summary>The policy tables and the demo policy a first start seeds. A fork edits these rows, not code.</summary>
public static class PolicySchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS policy (
            id INTEGER PRIMARY KEY CHECK (id = 1), currency TEXT NOT NULL, text TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS refund_bands (
            rank INTEGER PRIMARY KEY, band TEXT NOT NULL UNIQUE, up_to_cents INTEGER NULL, handling TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS refund_windows (
            kind TEXT PRIMARY KEY, days INTEGER NOT NULL);
        """;

    public static void Seed(SqliteConnection db, DateTimeOffset now)
    {
        _ = now;
        db.Run(
            "INSERT INTO policy (id, currency, text) VALUES (1, 'USD', $text)",
            ("$text",
             "Refunds of up to 100.00 are automatic: the agent pays them at once. Refunds above 100.00 and up to 500.00 need a second person: " +
             "an approver other than the requester approves before anything is paid. Refunds above 500.00 go to finance: the agent does not refund, " +
             "it escalates the case with the amount and the reason. A duplicate charge (the same thing charged twice) is refundable within 60 days " +
             "of the charge; any other refund reason within 30 days. Refund no more than was charged."));
        Band(db, 1, "automatic", 10000, "Refund at once.");
        Band(db, 2, "second_person", 50000, "Request the refund; a second person (an approver who is not the requester) must approve it before it is paid.");
        Band(db, 3, "finance", null, "Do not refund. Escalate the case to finance with the amount and the reason.");
        db.Run("INSERT INTO refund_windows (kind, days) VALUES ('duplicate_charge', 60), ('standard', 30)");
    }

    private static void Band(SqliteConnection db, int rank, string band, long? upToCents, string handling) =>
        db.Run(
            "INSERT INTO refund_bands (rank, band, up_to_cents, handling) VALUES ($r, $b, $u, $h)",
            ("$r", rank), ("$b", band), ("$u", upToCents), ("$h", handling));
}
