namespace Shipping.McpServer;

/// <summary>
/// An order's parcel as the carrier last reported it: <see cref="Status"/> is <c>in transit</c>, <c>delivered</c> or
/// <c>lost</c>; <see cref="Events"/> are oldest first and <see cref="LatestEvent"/> is the last of them.
/// </summary>
public sealed record Shipment(
    string OrderId,
    string CustomerId,
    string Items,
    string Status,
    string Carrier,
    string TrackingNumber,
    string ShippedAt,
    string ExpectedBy,
    TrackingEvent LatestEvent,
    IReadOnlyList<TrackingEvent> Events,
    Replacement? Replacement);
