using System.Net;
using System.Net.Http.Json;
using AgentSuite.Api.Tests.Model;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>An agent that reaches one of the product's loop limits ends the turn with a clear failure, never a 500.</summary>
public sealed class AgentLimitsApiTests
{
    private const string Request = "I was charged twice on INV-1002, please refund it";

    [Fact]
    public async Task AModelThatStillAsksForToolsAtTheIterationLimitFailsTheTurnWith502AndTurnFailedNamingTheLimit()
    {
        // A model that answers every request, the last one without tools included, with tool calls.
        await using var model = await FixtureModelServer.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            model.Reply("coordinator-invented-calls.json");
        }

        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Model:Provider"] = "OpenAI",
            ["Model:Endpoint"] = model.Endpoint.ToString(),
            ["Model:Name"] = "fixture-model",
            ["Agents:ToolLoop:MaximumIterationsPerRequest"] = "2",
        });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        await using (var stream = await EventStream.SendAsync(alice, id, Request))
        {
            var failed = await stream.ReadUntilAsync("turn.failed");
            Assert.Contains("Agent 'coordinator' used all 2 model calls of its run", failed!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        using var response = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = Request });
        await response.ProblemAsync(HttpStatusCode.BadGateway, "Agents:ToolLoop:MaximumIterationsPerRequest");
        Assert.Equal(4, model.Requests.Count);
        Assert.False(model.Requests[1].Json.TryGetProperty("tools", out _));
        var conversation = await alice.GetJsonAsync($"/api/conversations/{id}");
        Assert.Equal([Request, Request], conversation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }
}
