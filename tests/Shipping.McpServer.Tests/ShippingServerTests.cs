namespace Shipping.McpServer.Tests;

/// <summary>The built shipping server over real stdio, as the Api runs it; one server (and data file) per test class.</summary>
public sealed class ShippingServerTests(ShippingServer server) : IClassFixture<ShippingServer>
{
    [Fact]
    public async Task ListsItsToolsWithDescriptionsAndHints()
    {
        var tools = (await server.Client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(["reship_order", "track_shipment"], tools.Keys.Order());
        Assert.All(tools.Values, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
        Assert.True(tools["track_shipment"].Annotations!.ReadOnlyHint);
        Assert.False(tools["reship_order"].Annotations!.ReadOnlyHint);
        Assert.True(tools["reship_order"].Annotations!.IdempotentHint);
    }

    [Fact]
    public async Task TrackShipmentReadsTheSeededOrderWithItsScans()
    {
        var shipment = await server.CallJsonAsync("track_shipment", ("order_id", "ord-1001"));

        Assert.Equal("ORD-1001", shipment.GetProperty("order_id").GetString());
        Assert.Equal("in transit", shipment.GetProperty("status").GetString());
        Assert.Equal("PP-552301", shipment.GetProperty("tracking_number").GetString());
        Assert.Equal(3, shipment.GetProperty("events").GetArrayLength());
        Assert.Equal("Manchester hub", shipment.GetProperty("latest_event").GetProperty("location").GetString());
    }

    [Fact]
    public async Task ALostParcelIsReplacedOnceHoweverOftenItIsAsked()
    {
        var first = await server.CallJsonAsync("reship_order", ("order_id", "ORD-1003"), ("reason", "lost"));
        var again = await server.CallJsonAsync("reship_order", ("order_id", "ORD-1003"), ("reason", "lost"));

        Assert.StartsWith("RPL-", first.GetProperty("replacement_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.GetProperty("replacement_id").GetString(), again.GetProperty("replacement_id").GetString());
        var shipment = await server.CallJsonAsync("track_shipment", ("order_id", "ORD-1003"));
        Assert.Equal(first.GetProperty("tracking_number").GetString(), shipment.GetProperty("replacement").GetProperty("tracking_number").GetString());
    }

    [Fact]
    public async Task AParcelInTransitIsNotReplacedAndTheErrorSaysWhenItIsExpected()
    {
        var (isError, text) = await server.CallAsync("reship_order", ("order_id", "ORD-1001"), ("reason", "lost"));

        Assert.True(isError);
        Assert.Contains("still in transit and expected by", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownOrderIsAnErrorThatSaysWhatOrderNumbersLookLike()
    {
        var (isError, text) = await server.CallAsync("track_shipment", ("order_id", "ORD-404"));

        Assert.True(isError);
        Assert.Contains("Order numbers look like ORD-1001", text, StringComparison.Ordinal);
    }
}
