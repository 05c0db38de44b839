using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Api.Tests;

public sealed class GovernanceApiTests
{
    [Fact]
    public async Task KillSwitchEngagedThroughTheApiStopsTheNextTurnsToolCallsAndReleasingItRestoresThem()
    {
        await using var api = await ApiServer.StartAsync();
        using var ops = api.Client("ops");
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var put = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "agent:billing", engaged = true }))
        {
            var engaged = await put.JsonAsync(HttpStatusCode.OK);
            Assert.Equal(["agent:billing"], engaged.GetProperty("engaged").EnumerateArray().Select(s => s.GetProperty("scope").GetString()));
        }

        var stopped = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        Assert.Contains("The kill switch 'agent:billing' is engaged", stopped.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Contains(stopped.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "tool.decision" && e.GetProperty("decision").GetString() == "denied");

        using (var put = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "agent:billing", engaged = false }))
        {
            Assert.Empty((await put.JsonAsync(HttpStatusCode.OK)).GetProperty("engaged").EnumerateArray());
        }

        var resumed = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        Assert.StartsWith("Refunded 49.00 USD", resumed.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Contains((await ops.GetJsonAsync("/api/audit")).EnumerateArray(), e => e.GetProperty("kind").GetString() == "governance.kill_switch" && e.GetProperty("principal").GetString() == "ops");

        using (var bad = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "everything", engaged = true }))
        {
            await bad.ProblemAsync(HttpStatusCode.BadRequest, "'everything' is not a kill switch scope");
        }

        using (var missing = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "global" }))
        {
            await missing.ProblemAsync(HttpStatusCode.BadRequest, "Name the scope and whether it is engaged");
        }
    }

    [Fact]
    public async Task KillSwitchScopeThatNamesNothingIsRefusedWithTheClosestMatchAndAReasonIsKept()
    {
        await using var api = await ApiServer.StartAsync();
        using var ops = api.Client("ops");

        foreach (var (scope, expected) in new[]
        {
            ("agent:biling", "'agent:biling' names no agent 'biling', so it would stop nothing. Did you mean 'agent:billing'?"),
            ("server:bililng", "Did you mean 'server:billing'?"),
            ("tool:billing/issue_refnd", "Did you mean 'tool:billing/issue_refund'?"),
            ("tool:agents/ask_suport", "Did you mean 'tool:agents/ask_support'?"),
            ("agent:zzzzzzzzzz", "names no agent 'zzzzzzzzzz'"),
        })
        {
            using var refused = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope, engaged = true });
            await refused.ProblemAsync(HttpStatusCode.BadRequest, expected);
        }

        Assert.Empty((await ops.GetJsonAsync("/api/governance/kill-switch")).GetProperty("engaged").EnumerateArray());

        foreach (var scope in new[] { "agent:billing", "server:crm", "tool:billing/issue_refund", "tool:agents/ask_billing", "global" })
        {
            using var engaged = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope, engaged = true, reason = "refunds look wrong" });
            Assert.Contains((await engaged.JsonAsync(HttpStatusCode.OK)).GetProperty("engaged").EnumerateArray(), s => s.GetProperty("scope").GetString() == scope);
        }

        // The switch itself says who engaged it, when and why.
        var billing = (await ops.GetJsonAsync("/api/governance/kill-switch")).GetProperty("engaged").EnumerateArray().Single(s => s.GetProperty("scope").GetString() == "agent:billing");
        Assert.Equal(("ops", "refunds look wrong"), (billing.GetProperty("changedBy").GetString(), billing.GetProperty("reason").GetString()));
        Assert.True(billing.GetProperty("changedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var entries = (await ops.GetJsonAsync("/api/audit")).EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "governance.kill_switch").ToList();
        Assert.Equal(5, entries.Count);
        Assert.All(entries, e => Assert.Equal("refunds look wrong", e.GetProperty("data").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task AnyUserSeesWhichScopesAreStoppedButOnlyAnAdminSeesTheSwitches()
    {
        await using var api = await ApiServer.StartAsync(DeskKeys.Settings());
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        using var ops = api.ClientWithKey(DeskKeys.Ops);

        Assert.Empty((await alice.GetJsonAsync("/api/kill-switch")).GetProperty("engaged").EnumerateArray());
        using (var engage = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "agent:billing", engaged = true, reason = "checking refunds" }))
        {
            await engage.JsonAsync(HttpStatusCode.OK);
        }

        Assert.Equal(["agent:billing"], (await alice.GetJsonAsync("/api/kill-switch")).GetProperty("engaged").EnumerateArray().Select(s => s.GetString()));
        using var details = await alice.GetAsync("/api/governance/kill-switch");
        await details.ProblemAsync(HttpStatusCode.Forbidden, "admin");
    }

    [Fact]
    public async Task KillSwitchEngagedInConfigurationCannotBeReleasedThroughTheApi()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Governance:KillSwitch:Engaged:0"] = "tool:billing/issue_refund" });
        using var ops = api.Client("ops");

        var listed = await ops.GetJsonAsync("/api/governance/kill-switch");
        using var release = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "tool:billing/issue_refund", engaged = false });

        Assert.Equal("configuration", listed.GetProperty("engaged")[0].GetProperty("source").GetString());
        await release.ProblemAsync(HttpStatusCode.Conflict, "engaged in configuration");
    }

    [Fact]
    public async Task AuditPagesByConversationAndSeqAndVerifiesTheChain()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();
        await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });

        var all = (await alice.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray().ToList();
        var firstTwo = (await alice.GetJsonAsync($"/api/audit?conversationId={id}&limit=2")).EnumerateArray().ToList();
        var rest = (await alice.GetJsonAsync($"/api/audit?conversationId={id}&afterSeq={firstTwo[1].GetProperty("seq").GetInt64()}")).EnumerateArray().ToList();
        var verify = await alice.GetJsonAsync("/api/audit/verify");

        Assert.Equal(8, all.Count(e => e.GetProperty("kind").GetString()!.StartsWith("tool.", StringComparison.Ordinal)));
        Assert.All(all, e => Assert.Equal(id, e.GetProperty("conversationId").GetString()));
        Assert.Equal(all.Select(Seq), firstTwo.Concat(rest).Select(Seq));
        Assert.Matches("^[0-9a-f]{64}$", all[0].GetProperty("data").GetProperty("argumentsHash").GetString());
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(all[^1].GetProperty("hash").GetString(), verify.GetProperty("headHash").GetString());

        using var bad = await alice.GetAsync("/api/audit?limit=5000");
        await bad.ProblemAsync(HttpStatusCode.BadRequest, "limit must be a whole number from 1 to 1000");
    }

    [Fact]
    public async Task ToolsListShowsEachServedToolWithItsPinAndHealthShowsTheServers()
    {
        await using var api = await ApiServer.StartAsync();
        using var ops = api.Client("ops");

        var tools = (await ops.GetJsonAsync("/api/governance/tools")).EnumerateArray().ToDictionary(t => t.GetProperty("tool").GetString()!);
        var health = await ops.GetJsonAsync("/health");
        var alive = await ops.GetJsonAsync("/alive");

        Assert.Contains("billing/issue_refund", tools.Keys);
        Assert.Contains("crm/create_case", tools.Keys);
        var refund = tools["billing/issue_refund"];
        Assert.Equal(("billing", "issue_refund", false), (refund.GetProperty("server").GetString(), refund.GetProperty("name").GetString(), refund.GetProperty("blocked").GetBoolean()));
        Assert.Matches("^[0-9a-f]{64}$", refund.GetProperty("pinnedHash").GetString());
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal(ToolServersFile.Names.Order(StringComparer.Ordinal), health.GetProperty("checks").GetProperty("mcp").GetProperty("data").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Healthy", alive.GetProperty("status").GetString());
    }

    private static long Seq(JsonElement e) => e.GetProperty("seq").GetInt64();
}
