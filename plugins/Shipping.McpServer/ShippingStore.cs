using System.Globalization;
using Microsoft.Data.Sqlite;
using ModelContextProtocol;

namespace Shipping.McpServer;

/// <summary>Orders, their tracking and replacements in the shipping data file. Failures are <see cref="McpException"/>s a model can act on.</summary>
public sealed class ShippingStore(PluginDatabase database)
{
    private static readonly string[] Reasons = ["lost", "damaged"];

    public Shipment Track(string orderId)
    {
        using var db = database.Open();
        return Read(db, Normalize(orderId)) ?? throw OrderNotFound(orderId);
    }

    /// <summary>Sends one replacement for a lost parcel, or for one delivered damaged; asking again returns the same replacement.</summary>
    public Replacement Reship(string orderId, string reason)
    {
        var why = (reason ?? "").Trim().ToLowerInvariant();
        if (!Reasons.Contains(why))
        {
            throw new McpException($"reason is '{reason}'; pass lost (the carrier lost the parcel) or damaged (it arrived damaged).");
        }

        return database.Write(db =>
        {
            var order = Read(db, Normalize(orderId)) ?? throw OrderNotFound(orderId);
            if (order.Replacement is { } sent)
            {
                return sent;
            }

            switch (order.Status)
            {
                case "in transit":
                    throw new McpException(
                        $"Order {order.OrderId} is still in transit and expected by {order.ExpectedBy} (latest: {order.LatestEvent.Detail}, {order.LatestEvent.Location}); " +
                        "a replacement is sent only for a parcel the carrier reports lost, or one that arrived damaged.");
                case "delivered" when why == "lost":
                    throw new McpException(
                        $"Order {order.OrderId} was delivered ({order.LatestEvent.Detail}, {order.LatestEvent.Location}, {order.LatestEvent.At}); " +
                        "a delivered parcel is replaced only when it arrived damaged (reason damaged). If the customer never received it, open a support case.");
            }

            var now = DateTimeOffset.UtcNow;
            var next = db.Query("SELECT COALESCE(MAX(seq), 0) + 1 FROM replacements", r => r.GetInt64(0))[0];
            var id = "RPL-" + (700 + next).ToString(CultureInfo.InvariantCulture);
            var tracking = order.TrackingNumber.Split('-')[0] + "-" + (560000 + next).ToString(CultureInfo.InvariantCulture);
            db.Run(
                "INSERT INTO replacements (id, order_id, reason, carrier, tracking_number, expected_by, created_at) VALUES ($id, $o, $r, $c, $t, $e, $at)",
                ("$id", id), ("$o", order.OrderId), ("$r", why), ("$c", order.Carrier), ("$t", tracking), ("$e", ShippingSchema.Day(now.AddDays(3))), ("$at", ShippingSchema.Stamp(now)));
            return ReadReplacement(db, order.OrderId)!;
        });
    }

    private static Shipment? Read(SqliteConnection db, string orderId)
    {
        var found = db.Query(
            "SELECT id, customer_id, items, status, carrier, tracking_number, shipped_at, expected_by FROM orders WHERE id = $id",
            r => (Id: r.GetString(0), Customer: r.GetString(1), Items: r.GetString(2), Status: r.GetString(3), Carrier: r.GetString(4),
                  Tracking: r.GetString(5), Shipped: r.GetString(6), Expected: r.GetString(7)),
            ("$id", orderId));
        if (found.Count == 0)
        {
            return null;
        }

        var o = found[0];
        var events = db.Query(
            "SELECT at, location, detail FROM tracking_events WHERE order_id = $id ORDER BY seq",
            r => new TrackingEvent(r.GetString(0), r.GetString(1), r.GetString(2)), ("$id", orderId));
        return new Shipment(o.Id, o.Customer, o.Items, o.Status, o.Carrier, o.Tracking, o.Shipped, o.Expected, events[^1], events, ReadReplacement(db, orderId));
    }

    private static Replacement? ReadReplacement(SqliteConnection db, string orderId) =>
        db.Query(
            "SELECT id, order_id, reason, carrier, tracking_number, expected_by, created_at FROM replacements WHERE order_id = $id",
            r => new Replacement(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)),
            ("$id", orderId)).SingleOrDefault();

    private static McpException OrderNotFound(string orderId) =>
        new($"Order '{orderId}' does not exist. Order numbers look like ORD-1001 and are in the order confirmation email.");

    private static string Normalize(string id) => (id ?? "").Trim().ToUpperInvariant();
}
