namespace Shipping.McpServer;

/// <summary>One carrier scan of a parcel: label created, picked up, at a hub, delivered, reported lost.</summary>
public sealed record TrackingEvent(string At, string Location, string Detail);
