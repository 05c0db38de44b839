using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>
/// The CRM and policy servers run over Streamable HTTP too (billing has its own HTTP suites), listen where --urls or the
/// host's standard variables say, and a bad HTTP setting stops a plugin at start.
/// </summary>
public sealed class EveryPluginServesHttpTests
{
    [Theory]
    [InlineData(BuiltPlugins.Crm, "find_customer", "query", "CUST-7", "Dana Whitfield")]
    [InlineData(BuiltPlugins.Policy, "check_refund", "reason", "duplicate charge", "automatic")]
    public async Task PluginAnswersToolCallsOverHttp(string plugin, string tool, string argument, string value, string expected)
    {
        await using var server = await HttpPlugin.StartAsync(plugin);
        await using var client = await server.ConnectAsync();

        (string, object?)[] arguments = tool == "check_refund"
            ? [("amount", 49.00m), ("days_since_charge", 3), (argument, value)]
            : [(argument, value)];
        var result = await client.CallAsync(tool, arguments);

        Assert.Contains(expected, ToolCalls.Text(result), StringComparison.Ordinal);
        Assert.NotEqual(true, result.IsError);
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("DOTNET_URLS")]
    public async Task WithoutUrlsThePluginListensWhereTheHostsVariableSays(string variable)
    {
        await using var server = await HttpPlugin.StartAsync(BuiltPlugins.Policy, addressVariable: variable);
        await using var client = await server.ConnectAsync();

        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "check_refund");
        Assert.Contains($"MCP server on {server.BaseUri.ToString().TrimEnd('/')} at /mcp", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlsOnTheCommandLineWinsOverTheHostsVariable()
    {
        // The variable names a port nothing listens on; the plugin is found where --urls says.
        var elsewhere = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        await using var server = await HttpPlugin.StartAsync(BuiltPlugins.Crm, new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = elsewhere });
        await using var client = await server.ConnectAsync();

        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "find_customer");
        Assert.DoesNotContain(elsewhere, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSessionModeStopsThePluginAtStartWithTheModesItTakes()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HttpPlugin.StartAsync(BuiltPlugins.Crm, new Dictionary<string, string?> { ["McpHttp__SessionMode"] = "sticky" }));

        Assert.Contains("exited with code 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("McpHttp:SessionMode is 'sticky'; use one of Stateless, Stateful, StatefulForInitializeClients", failure.Message, StringComparison.Ordinal);
    }
}
