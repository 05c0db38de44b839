using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.EndToEnd.Tests.Support;

namespace AgentSuite.EndToEnd.Tests;

/// <summary>
/// One turn through the whole application: the coordinator hands the message to the example agent, which calls the
/// example tool server over MCP; governance decides each call and the audit trail records it.
/// </summary>
public sealed class ExampleTurnTests
{
    [Fact]
    public async Task ItemQuestionIsAnsweredByTheExampleToolAndAudited()
    {
        await using var api = await DeskApi.StartAsync();
        using var alice = api.Client("alice");

        using var created = await alice.PostAsJsonAsync("/api/conversations", new { });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var conversationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var sent = await alice.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "What is the status of ITEM-1?" });
        var body = await sent.Content.ReadAsStringAsync();
        Assert.True(sent.StatusCode == HttpStatusCode.OK, body);
        var turn = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal("ITEM-1 (First item) is open.", turn.GetProperty("reply").GetString());

        var audit = (await alice.GetFromJsonAsync<JsonElement>($"/api/audit?conversationId={conversationId}")).EnumerateArray().ToList();
        Assert.Contains(audit, e => Is(e, "tool.decision", "coordinator", "agents/ask_example") && e.GetProperty("decision").GetString() == "allowed");
        Assert.Contains(audit, e => Is(e, "tool.decision", "example", "example/get_item") && e.GetProperty("decision").GetString() == "allowed");
        Assert.Contains(audit, e => Is(e, "tool.completed", "example", "example/get_item"));
        Assert.All(audit.Where(e => e.GetProperty("kind").GetString()!.StartsWith("tool.", StringComparison.Ordinal)), e => Assert.Equal("alice", e.GetProperty("principal").GetString()));
    }

    [Fact]
    public async Task StatusChangeGoesThroughTheExampleToolAndIsKept()
    {
        await using var api = await DeskApi.StartAsync();
        using var bob = api.Client("bob");

        using var created = await bob.PostAsJsonAsync("/api/conversations", new { });
        var conversationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var done = await SendAsync(bob, conversationId, "Please mark ITEM-1 done");
        Assert.Equal("ITEM-1 (First item) is now done.", done);
        var read = await SendAsync(bob, conversationId, "What is the status of ITEM-1?");
        Assert.Equal("ITEM-1 (First item) is done.", read);
    }

    private static async Task<string?> SendAsync(HttpClient client, string? conversationId, string text)
    {
        using var sent = await client.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text });
        var body = await sent.Content.ReadAsStringAsync();
        Assert.True(sent.StatusCode == HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<JsonElement>(body).GetProperty("reply").GetString();
    }

    private static bool Is(JsonElement entry, string kind, string agent, string tool) =>
        entry.GetProperty("kind").GetString() == kind
        && entry.GetProperty("agent").GetString() == agent
        && entry.GetProperty("tool").GetString() == tool;
}
