namespace Shipping.McpServer;

/// <summary>A replacement parcel sent for a lost or damaged one; an order gets at most one.</summary>
public sealed record Replacement(string ReplacementId, string OrderId, string Reason, string Carrier, string TrackingNumber, string ExpectedBy, string CreatedAt);
