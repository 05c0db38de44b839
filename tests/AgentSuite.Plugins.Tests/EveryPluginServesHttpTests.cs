using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>The CRM and policy servers run over Streamable HTTP too (billing has its own HTTP suites), and a bad HTTP setting stops a plugin at start.</summary>
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

    [Fact]
    public async Task UnknownSessionModeStopsThePluginAtStartWithTheModesItTakes()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HttpPlugin.StartAsync(BuiltPlugins.Crm, new Dictionary<string, string?> { ["McpHttp__SessionMode"] = "sticky" }));

        Assert.Contains("exited with code 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("McpHttp:SessionMode is 'sticky'; use one of Stateless, Stateful, StatefulForInitializeClients", failure.Message, StringComparison.Ordinal);
    }
}
