namespace Example.McpServer.Tests;

/// <summary>The built server over real stdio, as the Api runs it; one server (and data file) per test class.</summary>
public sealed class ExampleServerTests(ExampleServer server) : IClassFixture<ExampleServer>
{
    [Fact]
    public async Task ListsItsToolsWithDescriptionsAndHints()
    {
        var tools = (await server.Client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(["get_item", "set_item_status"], tools.Keys.Order());
        Assert.All(tools.Values, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
        Assert.True(tools["get_item"].Annotations!.ReadOnlyHint);
        Assert.False(tools["set_item_status"].Annotations!.ReadOnlyHint);
    }

    [Fact]
    public async Task GetItemReadsTheSeededItem()
    {
        var item = await server.CallJsonAsync("get_item", ("item_id", "item-1"));

        Assert.Equal("ITEM-1", item.GetProperty("item_id").GetString());
        Assert.Equal("First item", item.GetProperty("name").GetString());
    }

    [Fact]
    public async Task SetStatusIsKeptInTheDataFile()
    {
        await server.CallJsonAsync("set_item_status", ("item_id", "ITEM-2"), ("status", "open"));

        var item = await server.CallJsonAsync("get_item", ("item_id", "ITEM-2"));
        Assert.Equal("open", item.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnUnknownItemIsAnErrorThatSaysWhatIdsLookLike()
    {
        var (isError, text) = await server.CallAsync("get_item", ("item_id", "ITEM-404"));

        Assert.True(isError);
        Assert.Contains("Item ids look like ITEM-1", text, StringComparison.Ordinal);
    }
}
