using System.Net.Http.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests.Model;

/// <summary><c>Model:CallIds</c>: the mock's tool-call ids as the Api's governance sees them.</summary>
public sealed class MockCallIdsApiTests
{
    [Fact]
    public async Task RandomCallIdsReachGovernanceAsARealModelsDo()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Model:CallIds"] = "random" });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var sent = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" }))
        {
            await sent.JsonAsync(System.Net.HttpStatusCode.OK);
        }

        var callIds = (await alice.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray()
            .Where(e => e.TryGetProperty("toolCallId", out var c) && c.GetString() is { Length: > 0 })
            .Select(e => e.GetProperty("toolCallId").GetString()!).Distinct().ToList();
        Assert.Equal(4, callIds.Count);
        Assert.All(callIds, c => Assert.Matches("^call_[0-9a-f]{24}(/call_[0-9a-f]{24})?$", c));
    }

    [Fact]
    public async Task AnUnknownCallIdsValueStopsTheApiNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiServer.StartAsync(new Dictionary<string, string?> { ["Model:CallIds"] = "uuid" }));

        Assert.Contains("Model:CallIds is 'uuid'; give 'sequential'", error.Message, StringComparison.Ordinal);
    }
}
