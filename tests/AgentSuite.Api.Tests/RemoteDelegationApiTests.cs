using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSuite.Api.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Api.Tests;

/// <summary>
/// Who a remote turn runs as: a delegate (by key or by token) acts for the person it names with no more roles than both
/// hold, names that could not be a person are refused, and every refusal is audited whatever the caller sent.
/// </summary>
public sealed class RemoteDelegationApiTests
{
    [Fact]
    public async Task ATokenHolderWithTheMappedDelegateRoleActsForThePersonItNames()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        var settings = issuer.Settings(RemoteBilling.BillingSettings());
        settings["Auth:Jwt:Roles:user"] = "Desk.User";
        settings["Auth:Jwt:Roles:delegate"] = "Desk.Delegate";
        await using var billing = await ApiServer.StartAsync(settings);
        await using var service = await ConnectWithTokenAsync(billing, issuer.Token("sub-desk", "Desk", ["Desk.User", "Desk.Delegate"]));

        var result = await service.CallToolAsync("ask_billing", Ask("I was charged twice on INV-1002, please refund it"), options: new RequestOptions { Meta = OnBehalfOf("alice", "user") });

        Assert.False(result.IsError == true, Text(result));
        var allowed = Assert.Single(await DelegationsAsync(billing));
        Assert.Equal(("allowed", "alice", "Desk (sub-desk)"), (Text(allowed, "decision"), Text(allowed, "principal"), Text(allowed.GetProperty("data"), "via")));
    }

    [Fact]
    public async Task ADelegateGrantsNoRoleItsKeyLacksWhateverThePersonClaims()
    {
        var settings = RemoteBilling.BillingSettings();
        settings["AgentServer:Agents:billing:Roles:0"] = "approver";
        settings["AgentServer:Agents:support:Roles:0"] = "user";
        await using var billing = await ApiServer.StartAsync(settings);
        await using var coordinator = await AgentServerClient.ConnectAsync(billing, RemoteBilling.CoordinatorKey);

        var result = await coordinator.CallToolAsync("ask_billing", Ask("hello"), options: new RequestOptions { Meta = OnBehalfOf("mallory", "user", "approver", "admin", "delegate") });

        Assert.True(result.IsError);
        Assert.Contains("'mallory' may not ask the billing agent", Text(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("system", "is reserved for the system's own entries")]
    [InlineData("Trust-On-First-Use", "is reserved for the system's own entries")]
    [InlineData("ali\u0007ce", "must be a string of 1 to 200 printable characters")]
    public async Task ANameThatCannotBeAPersonIsRefusedAndAudited(string name, string why)
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        await using var coordinator = await AgentServerClient.ConnectAsync(billing, RemoteBilling.CoordinatorKey);

        var result = await coordinator.CallToolAsync("ask_billing", Ask("hello"), options: new RequestOptions { Meta = OnBehalfOf(name, "user") });

        Assert.True(result.IsError);
        Assert.Contains(why, Text(result), StringComparison.Ordinal);
        var refused = Assert.Single(await DelegationsAsync(billing));
        Assert.Equal(("denied", "coordinator"), (Text(refused, "decision"), Text(refused, "principal")));
    }

    [Fact]
    public async Task APersonSentWithoutRolesIsRefusedNotGrantedTheKeysRoles()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        await using var coordinator = await AgentServerClient.ConnectAsync(billing, RemoteBilling.CoordinatorKey);
        var meta = new JsonObject { ["agentsuite/on_behalf_of"] = new JsonObject { ["name"] = "alice" } };

        var result = await coordinator.CallToolAsync("ask_billing", Ask("hello"), options: new RequestOptions { Meta = meta });

        Assert.True(result.IsError);
        Assert.Contains("has no 'roles'", Text(result), StringComparison.Ordinal);
        Assert.Equal("denied", Text(Assert.Single(await DelegationsAsync(billing)), "decision"));
        Assert.Empty((await billing.ClientWithKey(DeskKeys.Alice).GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ARefusalWithMalformedCallerFieldsIsStillAudited()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        await using var frontDesk = await AgentServerClient.ConnectAsync(billing, RemoteBilling.FrontDeskKey);
        var meta = OnBehalfOf("alice", "user");
        meta["agentsuite/caller"] = new JsonObject { ["instance"] = 42, ["run_id"] = "run\n" + new string('x', 300) };

        var result = await frontDesk.CallToolAsync("ask_billing", Ask("hello"), options: new RequestOptions { Meta = meta });

        Assert.True(result.IsError);
        Assert.Contains("its key lacks the 'delegate' role", Text(result), StringComparison.Ordinal);
        var data = Assert.Single(await DelegationsAsync(billing)).GetProperty("data");
        Assert.Equal("(not a string: Number)", Text(data, "callerInstance"));
        Assert.StartsWith("run?xxx", Text(data, "callerRunId"), StringComparison.Ordinal);
        Assert.EndsWith("…(cut)", Text(data, "callerRunId"), StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Ask(string message) => new() { ["message"] = message, ["wait_seconds"] = 60 };

    private static JsonObject OnBehalfOf(string name, params string[] roles) => new()
    {
        ["agentsuite/on_behalf_of"] = new JsonObject { ["name"] = name, ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]) },
    };

    private static async Task<List<JsonElement>> DelegationsAsync(ApiServer billing)
    {
        using var ops = billing.ClientWithKey(DeskKeys.Ops);
        return [.. (await ops.GetJsonAsync("/api/audit?kind=agent_call.delegated")).EnumerateArray()];
    }

    private static async Task<McpClient> ConnectWithTokenAsync(ApiServer api, string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(api.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = new AuthenticationHeaderValue("Bearer", token).ToString() },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
