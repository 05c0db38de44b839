using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Durability.Tests.Support;

namespace AgentSuite.Durability.Tests;

/// <summary>
/// The durability tests' own machinery, checked on behaviour that needs no resume: the SIGKILL-and-restart harness, the
/// commit-then-hang test server, and the model proxy in front of the mock model server. They run the demo script,
/// whose refund names its own idempotency key, so they hold whether or not governance supplies a key the model left out.
/// </summary>
public sealed class HarnessTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";

    private static readonly string DemoScript = Path.Combine(Built.RepositoryRoot, "src", "AgentSuite.Models", "Scripts", "demo.yaml");

    [Fact]
    public async Task CrashAndRestartKillsTheApiAndEveryPluginAndTheRestartedApiServesTheSameFolder()
    {
        using var api = await DurableApi.StartAsync(new Dictionary<string, string?> { ["Model:Script"] = DemoScript });
        using var alice = api.Client("alice");
        var conversation = await alice.NewConversationAsync();
        var reply = await SendAsync(alice, conversation, Refund);
        var before = new[] { api.ProcessId }.Concat(ProcessTree.ChildrenOf(api.ProcessId)).ToList();

        var killed = await api.CrashAndRestartAsync();

        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.$", reply);
        Assert.True(before.Count >= 4, $"The Api ran {before.Count - 1} plugins; the embedded defaults are billing, crm and policy.");
        Assert.Equal(before.Count, killed);
        Assert.DoesNotContain(before, ProcessTree.IsRunning);
        Assert.DoesNotContain(api.ProcessId, before);
        var after = await alice.ConversationAsync(conversation);
        Assert.Equal(reply, after.GetProperty("messages").EnumerateArray().Last().Text("text"));
        Assert.Equal((1, 4900), BillingFile.Refunds(api.BillingFile, "INV-1002"));
        Assert.True((await alice.GetJsonAsync("/api/audit/verify")).GetProperty("ok").GetBoolean());
        AssertRandomCallIds(await alice.AuditAsync(conversation));
    }

    [Fact]
    public async Task TheCommitThenHangServerPaysTheRefundAndNeverAnswers()
    {
        var folder = DurableApi.NewDataFolder();
        var settings = CommitThenHangSettings.For(folder);
        settings["Mcp:CallTimeout"] = "00:00:02";
        settings["Model:Script"] = DemoScript;
        using var api = await DurableApi.StartAsync(settings, folder);
        using var alice = api.Client("alice");
        var conversation = await alice.NewConversationAsync();

        var reply = await SendAsync(alice, conversation, Refund);

        Assert.StartsWith("I did not refund the duplicate charge on INV-1002", reply, StringComparison.Ordinal);
        Assert.Equal((1, 4900), BillingFile.Refunds(Path.Combine(folder, CommitThenHangSettings.BillingFileName), "INV-1002"));
        var audit = await alice.AuditAsync(conversation);
        Assert.DoesNotContain(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
    }

    [Fact]
    public async Task TheModelProxyForwardsEveryRequestItDoesNotHoldToTheMockModelServerWithRandomCallIds()
    {
        using var model = await MockModelServer.StartAsync(DemoScript);
        await using var proxy = await HeldModelProxy.StartAsync(model.BaseAddress, _ => false);
        using var api = await DurableApi.StartAsync(new Dictionary<string, string?>
        {
            ["Model:Provider"] = "OpenAI",
            ["Model:Endpoint"] = proxy.Endpoint.ToString(),
            ["Model:Name"] = "agentsuite-mock",
        });
        using var alice = api.Client("alice");
        var conversation = await alice.NewConversationAsync();

        var reply = await SendAsync(alice, conversation, Refund);

        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.$", reply);
        Assert.Equal(6, proxy.Forwarded);
        Assert.False(proxy.Held.IsCompleted);
        AssertRandomCallIds(await alice.AuditAsync(conversation));
    }

    /// <summary>The refund's four calls (hand-off, invoice, policy, refund) carry a real model's kind of id, not call_1, call_2.</summary>
    private static void AssertRandomCallIds(IReadOnlyList<JsonElement> audit)
    {
        var callIds = audit.Select(e => e.Text("toolCallId")).Where(c => c.Length > 0).Distinct().ToList();
        Assert.Equal(4, callIds.Count);
        Assert.All(callIds, c => Assert.Matches("^call_[0-9a-f]{24}(/call_[0-9a-f]{24})?$", c));
    }

    private static async Task<string> SendAsync(HttpClient client, string conversation, string text)
    {
        using var response = await client.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text });
        return (await response.JsonAsync(HttpStatusCode.OK)).Text("reply");
    }
}
