using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Shipping.McpServer;

/// <summary>The shipping tables and the demo orders a first start seeds; customer ids match the CRM's and billing's.</summary>
public static class ShippingSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS orders (
            id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, items TEXT NOT NULL, status TEXT NOT NULL, carrier TEXT NOT NULL,
            tracking_number TEXT NOT NULL, shipped_at TEXT NOT NULL, expected_by TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tracking_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, order_id TEXT NOT NULL REFERENCES orders(id), at TEXT NOT NULL,
            location TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS replacements (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
            reason TEXT NOT NULL, carrier TEXT NOT NULL, tracking_number TEXT NOT NULL, expected_by TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_tracking_events_order ON tracking_events(order_id);
        """;

    public static void Seed(SqliteConnection db, DateTimeOffset now)
    {
        Order(db, "ORD-1001", "CUST-7", "Desk lamp, 2 spare bulbs", "in transit", "ParcelPost", "PP-552301", now.AddDays(-2), now.AddDays(1));
        Event(db, "ORD-1001", now.AddDays(-2), "Leeds warehouse", "Label created");
        Event(db, "ORD-1001", now.AddDays(-2).AddHours(5), "Leeds depot", "Picked up by the carrier");
        Event(db, "ORD-1001", now.AddDays(-1), "Manchester hub", "Arrived at the sorting hub");

        Order(db, "ORD-1002", "CUST-12", "Ergonomic chair", "delivered", "Northline Couriers", "NL-88213", now.AddDays(-6), now.AddDays(-3));
        Event(db, "ORD-1002", now.AddDays(-6), "Leeds warehouse", "Label created");
        Event(db, "ORD-1002", now.AddDays(-5), "Birmingham hub", "Arrived at the sorting hub");
        Event(db, "ORD-1002", now.AddDays(-3), "Bristol", "Delivered, signed for at reception");

        Order(db, "ORD-1003", "CUST-21", "Monitor arm", "lost", "ParcelPost", "PP-551877", now.AddDays(-12), now.AddDays(-8));
        Event(db, "ORD-1003", now.AddDays(-12), "Leeds warehouse", "Label created");
        Event(db, "ORD-1003", now.AddDays(-10), "Birmingham hub", "Arrived at the sorting hub");
        Event(db, "ORD-1003", now.AddDays(-4), "Birmingham hub", "The carrier reports the parcel lost");
    }

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Order(
        SqliteConnection db, string id, string customerId, string items, string status, string carrier, string tracking, DateTimeOffset shipped, DateTimeOffset expected) =>
        db.Run(
            "INSERT INTO orders (id, customer_id, items, status, carrier, tracking_number, shipped_at, expected_by) VALUES ($id, $c, $i, $s, $k, $t, $sh, $e)",
            ("$id", id), ("$c", customerId), ("$i", items), ("$s", status), ("$k", carrier), ("$t", tracking), ("$sh", Stamp(shipped)), ("$e", Day(expected)));

    private static void Event(SqliteConnection db, string orderId, DateTimeOffset at, string location, string detail) =>
        db.Run("INSERT INTO tracking_events (order_id, at, location, detail) VALUES ($o, $at, $l, $d)", ("$o", orderId), ("$at", Stamp(at)), ("$l", location), ("$d", detail));
}
