using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Api.Tests;

/// <summary>GET /api/status and a tool's definitions: what is running, under which policy, and what changed in a tool.</summary>
public sealed class StatusApiTests
{
    private static Dictionary<string, string?> Settings()
    {
        var settings = DeskKeys.Settings();
        settings["Mcp:StatusInterval"] = "00:00:00.200";
        return settings;
    }

    [Fact]
    public async Task StatusShowsAnAdminTheServersToolsModelPolicyAndEngagedSwitchesAndRefusesOthers()
    {
        await using var api = await ApiServer.StartAsync(Settings());
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        using (var refused = await alice.GetAsync("/api/status"))
        {
            await refused.ProblemAsync(HttpStatusCode.Forbidden, "admin");
        }

        using (var engage = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "tool:crm/create_case", engaged = true, reason = "cases look odd" }))
        {
            await engage.JsonAsync(HttpStatusCode.OK);
        }

        var status = await PollStatusAsync(ops, s => Servers(s).Values.All(v => v.GetProperty("state").GetString() == "live"));

        var instance = status.GetProperty("instance");
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape($"{Environment.MachineName}/{Environment.ProcessId}/")}[0-9a-f]{{6}}$", instance.GetProperty("name").GetString());
        Assert.True(instance.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);

        // On SQLite the instances view is this instance alone, named as above, running the policy the status reports.
        var only = Assert.Single(status.GetProperty("instances").EnumerateArray());
        Assert.Equal((instance.GetProperty("name").GetString(), true, false), (only.GetProperty("name").GetString(), only.GetProperty("this").GetBoolean(), only.GetProperty("gone").GetBoolean()));
        Assert.Equal(instance.GetProperty("startedAt").GetDateTimeOffset(), only.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(status.GetProperty("policy").GetProperty("version").GetString(), only.GetProperty("policyVersion").GetString());
        Assert.True(only.GetProperty("lastSeen").GetDateTimeOffset() >= only.GetProperty("startedAt").GetDateTimeOffset());

        var servers = Servers(status);
        Assert.Equal(ToolServersFile.Names.Order(StringComparer.Ordinal), servers.Keys.Order(StringComparer.Ordinal));
        var billing = servers["billing"];
        Assert.Equal("stdio", billing.GetProperty("transport").GetString());
        Assert.Contains("billing/issue_refund", billing.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.True(billing.TryGetProperty("checkedAt", out _));
        Assert.False(billing.TryGetProperty("lastError", out _));

        var refund = status.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("tool").GetString() == "billing/issue_refund");
        Assert.Equal(("billing", false, "trust-on-first-use"), (refund.GetProperty("server").GetString(), refund.GetProperty("blocked").GetBoolean(), refund.GetProperty("approvedBy").GetString()));
        Assert.Equal(refund.GetProperty("pinnedHash").GetString(), refund.GetProperty("observedHash").GetString());

        var model = status.GetProperty("model");
        Assert.Equal(("mock", "demo"), (model.GetProperty("provider").GetString(), model.GetProperty("name").GetString()));
        Assert.False(model.TryGetProperty("endpoint", out _));

        var policy = status.GetProperty("policy");
        Assert.Matches("^[0-9a-f]{12}$", policy.GetProperty("version").GetString());
        Assert.False(policy.TryGetProperty("error", out _));

        var engaged = Assert.Single(status.GetProperty("killSwitches").EnumerateArray());
        Assert.Equal(("tool:crm/create_case", "runtime", "ops", "cases look odd"),
            (engaged.GetProperty("scope").GetString(), engaged.GetProperty("source").GetString(), engaged.GetProperty("engagedBy").GetString(), engaged.GetProperty("reason").GetString()));
        Assert.True(engaged.GetProperty("engagedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task ThePolicyVersionFollowsAGovernanceReloadAndOnlyAChangeMakesANewOne()
    {
        await using var api = await ApiServer.StartAsync(Settings());
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        var before = (await ops.GetJsonAsync("/api/status")).GetProperty("policy");

        configuration.Reload();
        var reloaded = (await ops.GetJsonAsync("/api/status")).GetProperty("policy");
        configuration["Governance:Limits:PerToolPerMinute"] = "29";
        configuration.Reload();
        var changed = (await ops.GetJsonAsync("/api/status")).GetProperty("policy");

        Assert.Equal(before.GetProperty("version").GetString(), reloaded.GetProperty("version").GetString());
        Assert.Equal(before.GetProperty("loadedAt").GetDateTimeOffset(), reloaded.GetProperty("loadedAt").GetDateTimeOffset());
        Assert.Matches("^[0-9a-f]{12}$", changed.GetProperty("version").GetString());
        Assert.NotEqual(before.GetProperty("version").GetString(), changed.GetProperty("version").GetString());
        Assert.True(changed.GetProperty("loadedAt").GetDateTimeOffset() >= before.GetProperty("loadedAt").GetDateTimeOffset());

        // Settings that do not compile: a version of their own, and why every tool call is denied.
        configuration["Governance:Limits:PerToolPerMinute"] = "-1";
        configuration.Reload();
        var broken = (await ops.GetJsonAsync("/api/status")).GetProperty("policy");
        Assert.NotEqual(changed.GetProperty("version").GetString(), broken.GetProperty("version").GetString());
        Assert.Contains("Limits:PerToolPerMinute must be 0 (off) or more", broken.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusShowsAKilledPluginDownWithItsErrorWithinItsCheckIntervalAndKeepsTheErrorOnceItIsBack()
    {
        await using var api = await ApiServer.StartAsync(Settings());
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        await PollStatusAsync(ops, s => Servers(s)["billing"].GetProperty("state").GetString() == "live");

        Assert.Equal(1, PluginProcesses.KillServerUsing(Path.Combine(api.DataFolder, "billing.db")));
        var down = await PollStatusAsync(ops, s => Servers(s)["billing"].GetProperty("state").GetString() == "down");

        var billing = Servers(down)["billing"];
        Assert.Matches("^its process exited with code [0-9]+; the next call to one of its tools reconnects$", billing.GetProperty("lastError").GetString());
        Assert.True(billing.GetProperty("lastErrorAt").GetDateTimeOffset() <= billing.GetProperty("checkedAt").GetDateTimeOffset());
        Assert.Contains("billing/issue_refund", billing.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.True(Servers(down)["crm"].GetProperty("live").GetBoolean());

        // The next turn that needs billing reconnects it; the status says it is back, and what went wrong last.
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        var id = await alice.NewConversationAsync();
        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        Assert.StartsWith("Refunded 49.00 USD", turn.GetProperty("reply").GetString(), StringComparison.Ordinal);
        var back = Servers(await PollStatusAsync(ops, s => Servers(s)["billing"].GetProperty("state").GetString() == "live"))["billing"];
        Assert.Equal(billing.GetProperty("lastError").GetString(), back.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task AChangedToolIsBlockedWithBothDefinitionsToReviewUntilAnAdminReapprovesIt()
    {
        var api = await ApiServer.StartAsync(Settings());
        try
        {
            using (var ops = api.ClientWithKey(DeskKeys.Ops))
            {
                var first = await ops.GetJsonAsync("/api/governance/tools/billing/issue_refund/definition");
                Assert.False(first.GetProperty("blocked").GetBoolean());
                Assert.Equal("issue_refund", first.GetProperty("observed").GetProperty("name").GetString());
                Assert.Equal(first.GetProperty("observed").GetRawText(), first.GetProperty("pinned").GetRawText());
                using var unknown = await ops.GetAsync("/api/governance/tools/billing/issue_refnd/definition");
                await unknown.ProblemAsync(HttpStatusCode.NotFound, "No tool 'billing/issue_refnd' has been seen");
                using var alice = api.ClientWithKey(DeskKeys.Alice);
                using var refused = await alice.GetAsync("/api/governance/tools/billing/issue_refund/definition");
                await refused.ProblemAsync(HttpStatusCode.Forbidden, "admin");
            }

            api = await api.RestartAsync(Settings(), folder => EarlierToolDefinition.Pin(folder, "billing/issue_refund"));
            using var admin = api.ClientWithKey(DeskKeys.Ops);

            var status = await admin.GetJsonAsync("/api/status");
            var pin = status.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("tool").GetString() == "billing/issue_refund");
            Assert.True(pin.GetProperty("blocked").GetBoolean());
            Assert.NotEqual(pin.GetProperty("pinnedHash").GetString(), pin.GetProperty("observedHash").GetString());

            var change = await admin.GetJsonAsync("/api/governance/tools/billing/issue_refund/definition");
            Assert.True(change.GetProperty("blocked").GetBoolean());
            Assert.Equal(EarlierToolDefinition.Description, change.GetProperty("pinned").GetProperty("description").GetString());
            Assert.NotEqual(EarlierToolDefinition.Description, change.GetProperty("observed").GetProperty("description").GetString());
            Assert.Equal(change.GetProperty("pinned").GetProperty("inputSchema").GetRawText(), change.GetProperty("observed").GetProperty("inputSchema").GetRawText());

            await admin.PostJsonAsync("/api/governance/tools/approve", new { tool = "billing/issue_refund", definitionHash = change.GetProperty("observedHash").GetString() });
            var approved = await admin.GetJsonAsync("/api/governance/tools/billing/issue_refund/definition");
            Assert.False(approved.GetProperty("blocked").GetBoolean());
            Assert.Equal(change.GetProperty("observed").GetRawText(), approved.GetProperty("pinned").GetRawText());
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    private static Dictionary<string, JsonElement> Servers(JsonElement status) =>
        status.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);

    private static Task<JsonElement> PollStatusAsync(HttpClient client, Func<JsonElement, bool> until) =>
        StatusPolling.UntilAsync("/api/status", () => client.GetJsonAsync("/api/status"), until);
}
