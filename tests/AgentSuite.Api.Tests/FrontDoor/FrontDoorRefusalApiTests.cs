using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentSuite.Api.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Api.Tests.FrontDoor;

/// <summary>Turns refused before they start, at both doors: a governance policy in error, and principal kill switches (the service's too).</summary>
public sealed class FrontDoorRefusalApiTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";

    [Fact]
    public async Task WhileTheGovernancePolicyIsInErrorEveryAskAndEveryMessageIsRefusedAndAuditedNever500()
    {
        var settings = CustomerAgent.Settings();
        settings["Governance:Limits:DailyTokens"] = "1000000";
        await using var api = await ApiServer.StartAsync(settings);
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        var id = await alice.NewConversationAsync();
        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        configuration["Governance:Limits:PerToolPerMinute"] = "-1";
        configuration.Reload();

        await using (var bot = await AgentServerClient.ConnectAsync(api, CustomerAgent.Key))
        {
            var refused = await bot.AskAsync(new() { ["message"] = Refund });
            Assert.True(refused.IsError, refused.Text);
            Assert.Contains("The governance policy cannot be used", refused.Text, StringComparison.Ordinal);
            Assert.Contains("Limits:PerToolPerMinute must be 0 (off) or more", refused.Text, StringComparison.Ordinal);
        }

        using (var message = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = Refund }))
        {
            var detail = await message.ProblemAsync(HttpStatusCode.ServiceUnavailable, "The governance policy cannot be used");
            Assert.EndsWith("Your message was not sent.", detail, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("messages").GetArrayLength());
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        var door = Assert.Single((await ops.GetJsonAsync($"/api/audit?kind=agent_call.received&principal={CustomerAgent.Name}")).EnumerateArray());
        Assert.Equal("refused", door.GetProperty("decision").GetString());
        var turn = Assert.Single((await ops.GetJsonAsync("/api/audit?kind=turn.refused&principal=alice")).EnumerateArray());
        Assert.Equal(("refused", "policy"), (turn.GetProperty("decision").GetString(), turn.GetProperty("data").GetProperty("cause").GetString()));

        // Fixed configuration: served again.
        configuration["Governance:Limits:PerToolPerMinute"] = "0";
        configuration.Reload();
        using var again = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "Please open a case about my login" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task APrincipalKillSwitchStopsThatKeysHttpMessagesWith403AndAuditsTheRefusalWhileOthersGoOn()
    {
        await using var api = await ApiServer.StartAsync(DeskKeys.Settings());
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        using var bob = api.ClientWithKey(DeskKeys.Bob);
        var id = await alice.NewConversationAsync();
        var bobs = await bob.NewConversationAsync();
        using (var engage = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "principal:ALICE", engaged = true, reason = "key leaked" }))
        {
            Assert.Equal(HttpStatusCode.OK, engage.StatusCode);
        }

        using (var message = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = Refund }))
        {
            var detail = await message.ProblemAsync(HttpStatusCode.Forbidden, "The kill switch 'principal:ALICE' is engaged; 'alice' may not ask any agent");
            Assert.EndsWith("Your message was not sent.", detail, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("messages").GetArrayLength());
        var turn = Assert.Single((await ops.GetJsonAsync("/api/audit?kind=turn.refused&principal=alice")).EnumerateArray());
        Assert.Equal("kill_switch", turn.GetProperty("data").GetProperty("cause").GetString());
        using var other = await bob.PostAsJsonAsync($"/api/conversations/{bobs}/messages", new { text = "Please open a case about my login" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal((0L, 0L), BillingRefunds.Paid(api, "INV-1002"));
    }

    [Fact]
    public async Task APrincipalKillSwitchOnADelegatingServiceStopsTheCallsItMakesForAnyone()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        using var ops = billing.ClientWithKey(DeskKeys.Ops);
        using (var engage = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "principal:coordinator", engaged = true }))
        {
            Assert.Equal(HttpStatusCode.OK, engage.StatusCode);
        }

        await using var coordinator = await AgentServerClient.ConnectAsync(billing, RemoteBilling.CoordinatorKey);
        var meta = new JsonObject { ["agentsuite/on_behalf_of"] = new JsonObject { ["name"] = "alice", ["roles"] = new JsonArray("user") } };
        var refusal = await coordinator.CallToolAsync("ask_billing", new Dictionary<string, object?> { ["message"] = Refund }, options: new RequestOptions { Meta = meta });

        Assert.True(refusal.IsError);
        Assert.Contains("The kill switch 'principal:coordinator' is engaged; 'alice' (via 'coordinator') may not ask any agent", string.Concat(refusal.Content.OfType<TextContentBlock>().Select(t => t.Text)), StringComparison.Ordinal);
        Assert.Empty((await billing.ClientWithKey(DeskKeys.Alice).GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());

        // Alice herself, calling directly, is not stopped by the service's switch.
        using var alice = billing.ClientWithKey(DeskKeys.Alice);
        var id = await alice.NewConversationAsync();
        using var direct = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "Please open a case about my login" });
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
    }
}
