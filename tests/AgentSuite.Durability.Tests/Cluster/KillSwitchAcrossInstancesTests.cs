using System.Net;
using System.Net.Http.Json;
using AgentSuite.Durability.Tests.Cluster.Support;
using AgentSuite.Durability.Tests.Support;
using static AgentSuite.Durability.Tests.Cluster.Support.ClusterCallers;

namespace AgentSuite.Durability.Tests.Cluster;

/// <summary>A kill switch engaged through one instance stops the other from the moment the PUT has returned, with no wait.</summary>
public sealed class KillSwitchAcrossInstancesTests
{
    [Fact]
    public async Task ASwitchEngagedOnBDeniesAToolCallStartedOnAAndTheGlobalSwitchRefusesANewTurnOnA()
    {
        using var run = await TwoInstances.StartAsync();
        using var rootOnB = run.B.As(Root);
        using var aliceOnA = run.A.As(Alice);
        var conversation = await aliceOnA.NewConversationAsync();

        await EngageAsync(rootOnB, "agent:billing");
        var stopped = await aliceOnA.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "What is on invoice INV-1003?" });
        var reply = await stopped.JsonAsync(HttpStatusCode.OK);

        Assert.Contains(reply.GetProperty("events").EnumerateArray(), e =>
            e.Text("type") == "tool.decision" && e.Text("tool") == "billing/get_invoice" && e.Text("decision") == "denied"
            && e.Text("reason").Contains("The kill switch 'agent:billing' is engaged", StringComparison.Ordinal));
        Assert.DoesNotContain(reply.GetProperty("events").EnumerateArray(), e => e.Text("type") == "tool.completed" && e.Text("tool").StartsWith("billing/", StringComparison.Ordinal));

        await EngageAsync(rootOnB, "global");
        using var refused = await aliceOnA.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "What is on invoice INV-1003?" });
        var problem = await refused.JsonAsync(HttpStatusCode.Forbidden);

        Assert.Equal("Stopped by a kill switch", problem.Text("title"));
        Assert.Contains("Your message was not sent.", problem.Text("detail"), StringComparison.Ordinal);
        using var rootOnA = run.A.As(Root);
        var engaged = (await rootOnA.GetJsonAsync("/api/governance/kill-switch")).GetProperty("engaged").EnumerateArray().Select(s => s.Text("scope")).Order(StringComparer.Ordinal);
        Assert.Equal(["agent:billing", "global"], engaged);
    }

    private static async Task EngageAsync(HttpClient admin, string scope)
    {
        using var put = await admin.PutAsJsonAsync("/api/governance/kill-switch", new { scope, engaged = true, reason = "cluster test" });
        var switches = await put.JsonAsync(HttpStatusCode.OK);
        Assert.Contains(switches.GetProperty("engaged").EnumerateArray(), s => s.Text("scope") == scope);
    }
}
