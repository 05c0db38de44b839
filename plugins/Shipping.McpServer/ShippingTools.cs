using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Shipping.McpServer;

/// <summary>The shipping tools. Argument names are snake_case because they are the wire contract a model writes.</summary>
[McpServerToolType]
public sealed class ShippingTools(ShippingStore store)
{
    [McpServerTool(Name = "track_shipment", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Tracks an order's parcel: its status (in transit, delivered or lost), carrier, tracking number, expected date, every scan so far, " +
        "and the replacement if one was sent.")]
    public Shipment TrackShipment(
        [Description("The order number, e.g. ORD-1001.")] string order_id) =>
        store.Track(order_id);

    // Not destructive (nothing is overwritten) and idempotent (an order gets one replacement), but it ships goods: governance asks a person.
    [McpServerTool(Name = "reship_order", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Sends a replacement parcel for an order the carrier lost, or one that arrived damaged, and returns the replacement's tracking number. " +
        "An order gets at most one replacement: asking again returns the same one. A parcel still in transit is not replaced.")]
    public Replacement ReshipOrder(
        [Description("The order number, e.g. ORD-1003.")] string order_id,
        [Description("lost (the carrier lost the parcel) or damaged (it arrived damaged).")] string reason) =>
        store.Reship(order_id, reason);
}
