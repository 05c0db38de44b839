using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// The official TypeScript MCP client (<c>@modelcontextprotocol/sdk</c>, TypeScriptClient/ask-agent.mjs) asks the coordinator
/// the Api serves at /mcp over real Streamable HTTP, with an API key; without one, or with one lacking the role, it is
/// refused at HTTP. The class fixture installs the client's locked npm packages first.
/// </summary>
public sealed class TypeScriptAgentClientTests : IClassFixture<TypeScriptClient>
{
    [Fact]
    public async Task TheTypeScriptClientWithAKeyListsAskCoordinatorAndGetsItsReply()
    {
        await using var api = await StartAsync();

        var report = await TypeScriptClient.RunScriptAsync("ask-agent.mjs", Endpoint(api), DeskKeys.Alice);

        Assert.False(report.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal("agentsuite-agents", report.GetProperty("server").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("sessionId").ValueKind);
        var tool = Assert.Single(report.GetProperty("tools").EnumerateArray());
        Assert.Equal("ask_coordinator", tool.GetProperty("name").GetString());
        Assert.Equal(["message"], tool.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var annotations = tool.GetProperty("annotations");
        Assert.Equal(
            (false, false, true),
            (annotations.GetProperty("readOnlyHint").GetBoolean(), annotations.GetProperty("idempotentHint").GetBoolean(), annotations.GetProperty("destructiveHint").GetBoolean()));
        var call = report.GetProperty("call");
        Assert.False(call.GetProperty("isError").GetBoolean(), call.GetProperty("text").GetString());
        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.\s+\(conversation_id conv_\w+\)$", call.GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheTypeScriptClientWithoutAKeyIsRefused401AndWithAKeyLackingTheRole403()
    {
        await using var api = await StartAsync();

        var anonymous = await TypeScriptClient.RunScriptAsync("ask-agent.mjs", Endpoint(api));
        var ops = await TypeScriptClient.RunScriptAsync("ask-agent.mjs", Endpoint(api), DeskKeys.Ops);

        Assert.Equal(401, anonymous.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(403, ops.GetProperty("error").GetProperty("code").GetInt32());
        Assert.False(anonymous.TryGetProperty("call", out _));
        Assert.False(ops.TryGetProperty("call", out _));
    }

    private static Task<ApiServer> StartAsync()
    {
        var settings = DeskKeys.Settings();
        settings["AgentServer:Agents:coordinator:Roles:0"] = "user";
        return ApiServer.StartAsync(settings);
    }

    private static string Endpoint(ApiServer api) => new Uri(api.BaseAddress, "/mcp").ToString();
}
