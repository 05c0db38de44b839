using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

public sealed class ConversationApiTests
{
    [Fact]
    public async Task SmallRefundTurnAnswersJsonWithTheReplyAndTheEventsAndKeepsTheConversation()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });

        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.$", turn.GetProperty("reply").GetString());
        var events = turn.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.GetProperty("seq").GetInt32()));
        Assert.Equal("agent.started", events[0].GetProperty("type").GetString());
        Assert.Equal("turn.completed", events[^1].GetProperty("type").GetString());
        Assert.Equal(turn.GetProperty("reply").GetString(), events[^1].GetProperty("text").GetString());
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "tool.completed" && e.GetProperty("tool").GetString() == "billing/issue_refund");

        var conversation = await alice.GetJsonAsync($"/api/conversations/{id}");
        var messages = conversation.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("text").GetString())).ToList();
        Assert.Equal([("user", "I was charged twice on INV-1002, please refund it"), ("assistant", turn.GetProperty("reply").GetString())], messages);
        Assert.Equal("alice", conversation.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task BadInputGetsProblemDetailsAndNothingIsHalfWritten()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["AgentSuite:MaxMessageChars"] = "100" });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var r = await alice.PostAsJsonAsync("/api/conversations/conv_nope/messages", new { text = "hello" }))
        {
            await r.ProblemAsync(HttpStatusCode.NotFound, "No conversation 'conv_nope' exists");
        }

        using (var r = await alice.GetAsync("/api/conversations/conv_nope"))
        {
            await r.ProblemAsync(HttpStatusCode.NotFound, "create one with POST /api/conversations");
        }

        using (var r = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "   " }))
        {
            await r.ProblemAsync(HttpStatusCode.BadRequest, "The message is empty");
        }

        using (var r = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = new string('x', 101) }))
        {
            await r.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "The message is 101 characters; the limit is 100 (AgentSuite:MaxMessageChars)");
        }

        using (var r = await alice.PostAsync($"/api/conversations/{id}/messages", new StringContent("{\"text\": \"unterminated", Encoding.UTF8, "application/json")))
        {
            await r.ProblemAsync(HttpStatusCode.BadRequest, "The body is not valid JSON");
        }

        using (var r = await alice.PostAsync($"/api/conversations/{id}/messages", new StringContent("", Encoding.UTF8, "application/json")))
        {
            await r.ProblemAsync(HttpStatusCode.BadRequest, "The body is empty");
        }

        // None of the refused messages reached the conversation.
        var conversation = await alice.GetJsonAsync($"/api/conversations/{id}");
        Assert.Empty(conversation.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task AnotherUsersConversationIsForbiddenButAnAdminMayReadIt()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = "alice-key-0123456789",
            ["Auth:Keys:0:Name"] = "alice",
            ["Auth:Keys:0:Roles:0"] = "user",
            ["Auth:Keys:1:Key"] = "carol-key-0123456789",
            ["Auth:Keys:1:Name"] = "carol",
            ["Auth:Keys:1:Roles:0"] = "user",
            ["Auth:Keys:2:Key"] = "ops-key-01234567890",
            ["Auth:Keys:2:Name"] = "ops",
            ["Auth:Keys:2:Roles:0"] = "user",
            ["Auth:Keys:2:Roles:1"] = "admin",
        });
        using var alice = api.ClientWithKey("alice-key-0123456789");
        using var carol = api.ClientWithKey("carol-key-0123456789");
        using var ops = api.ClientWithKey("ops-key-01234567890");
        var id = await alice.NewConversationAsync();

        using (var r = await carol.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "hello" }))
        {
            await r.ProblemAsync(HttpStatusCode.Forbidden, "belongs to another user");
        }

        Assert.Equal("alice", (await ops.GetJsonAsync($"/api/conversations/{id}")).GetProperty("createdBy").GetString());
    }
}
