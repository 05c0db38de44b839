using System.Text.Json;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>
/// The official TypeScript MCP client (<c>@modelcontextprotocol/sdk</c>) lists every plugin's tools with the annotations
/// the C# side declares and calls a read-only one, over stdio (it spawns the plugin) and over Streamable HTTP. The class
/// fixture installs the client's npm packages first.
/// </summary>
public sealed class TypeScriptClientTests : IClassFixture<TypeScriptClient>
{
    public static TheoryData<string, string> PluginsAndTransports => new()
    {
        { BuiltPlugins.Billing, "stdio" }, { BuiltPlugins.Billing, "http" },
        { BuiltPlugins.Crm, "stdio" }, { BuiltPlugins.Crm, "http" },
        { BuiltPlugins.Policy, "stdio" }, { BuiltPlugins.Policy, "http" },
    };

    [Theory]
    [MemberData(nameof(PluginsAndTransports))]
    public async Task TypeScriptClientListsAnnotatedToolsAndCallsAReadOnlyOne(string plugin, string transport)
    {
        var (server, tool, arguments, expected) = ReadOnlyCall(plugin);

        var report = transport == "stdio" ? await OverStdioAsync(plugin, tool, arguments) : await OverHttpAsync(plugin, tool, arguments);

        Assert.Equal(server, report.GetProperty("server").GetString());
        var listed = report.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => Hints(t.GetProperty("annotations")));
        Assert.Equal(DeclaredTools.Of(plugin), listed);
        var call = report.GetProperty("call");
        Assert.False(call.GetProperty("isError").GetBoolean(), call.GetProperty("text").GetString());
        Assert.Contains(expected, call.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> OverStdioAsync(string plugin, string tool, object arguments)
    {
        var data = new TempDataFile();
        try
        {
            return await TypeScriptClient.RunAsync(new
            {
                transport = "stdio",
                command = "dotnet",
                args = new[] { BuiltPlugins.DllPath(plugin), "--data", data.Path },
                call = new { name = tool, arguments },
            });
        }
        finally
        {
            data.Delete();
        }
    }

    private static async Task<JsonElement> OverHttpAsync(string plugin, string tool, object arguments)
    {
        await using var server = await HttpPlugin.StartAsync(plugin);
        var report = await TypeScriptClient.RunAsync(new { transport = "http", url = server.McpUri.ToString(), call = new { name = tool, arguments } });

        // The plugins serve HTTP statelessly: the client's initialize handshake is answered without a session.
        Assert.Equal(JsonValueKind.Null, report.GetProperty("sessionId").ValueKind);
        return report;
    }

    private static (string Server, string Tool, object Arguments, string Expected) ReadOnlyCall(string plugin) => plugin switch
    {
        BuiltPlugins.Billing => ("billing", "get_invoice", new Dictionary<string, object> { ["invoice_id"] = "INV-1002" }, "\"customer_name\":\"Dana Whitfield\""),
        BuiltPlugins.Crm => ("crm", "find_customer", new Dictionary<string, object> { ["query"] = "CUST-7" }, "Dana Whitfield"),
        BuiltPlugins.Policy => ("policy", "check_refund",
            new Dictionary<string, object> { ["amount"] = 49.00m, ["days_since_charge"] = 3, ["reason"] = "duplicate charge" }, "automatic"),
        _ => throw new ArgumentException($"{plugin} is not one of the plugins.", nameof(plugin)),
    };

    private static ToolHints Hints(JsonElement annotations) => new(
        annotations.GetProperty("readOnlyHint").GetBoolean(),
        annotations.GetProperty("destructiveHint").GetBoolean(),
        annotations.GetProperty("idempotentHint").GetBoolean(),
        annotations.GetProperty("openWorldHint").GetBoolean());
}
