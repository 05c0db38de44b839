using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>The coordinator served over MCP at /mcp: the official client over real Streamable HTTP, with the desk's API keys.</summary>
public sealed class AgentServerApiTests
{
    private const string SmallRefund = "I was charged twice on INV-1002, please refund it";
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task ListsAskCoordinatorWithThePromptsDescriptionTheContractsSchemaAndHonestAnnotations()
    {
        await using var api = await StartAsync();
        await using var client = await AgentServerClient.ConnectAsync(api, DeskKeys.Alice);

        var tool = Assert.Single(await client.ListToolsAsync());

        Assert.Equal("ask_coordinator", tool.Name);
        Assert.Equal("Talks with the customer and hands each request to the right specialist.", tool.Description);
        var schema = tool.JsonSchema;
        Assert.Equal(["message"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["message", "conversation_id", "idempotency_key", "wait_seconds"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal("integer", schema.GetProperty("properties").GetProperty("wait_seconds").GetProperty("type").GetString());
        var annotations = tool.ProtocolTool.Annotations!;
        Assert.Equal((false, false, true, false), (annotations.ReadOnlyHint, annotations.IdempotentHint, annotations.DestructiveHint, annotations.OpenWorldHint));
    }

    [Fact]
    public async Task CallWithAKeyRunsATurnInANewConversationOwnedByTheCallerAndAnswersTheReply()
    {
        await using var api = await StartAsync();
        await using var client = await AgentServerClient.ConnectAsync(api, DeskKeys.Alice);

        var (text, isError) = await client.AskAsync(new() { ["message"] = SmallRefund });

        Assert.False(isError, text);
        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.", text);
        var conversationId = ConversationId(text);
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        var conversation = await alice.GetJsonAsync($"/api/conversations/{conversationId}");
        Assert.Equal("alice", conversation.GetProperty("createdBy").GetString());
        Assert.Equal("completed", conversation.GetProperty("turn").GetProperty("status").GetString());
        var audit = (await ops.GetJsonAsync($"/api/audit?conversationId={conversationId}")).EnumerateArray().ToList();
        Assert.Contains(audit, e => e.GetProperty("kind").GetString() == "tool.decision" && e.GetProperty("tool").GetString() == "billing/issue_refund" && e.GetProperty("principal").GetString() == "alice");
    }

    [Fact]
    public async Task WithoutAKeyTheEndpointAnswers401AndWithAKeyLackingTheRole403()
    {
        await using var api = await StartAsync();
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var ops = api.ClientWithKey(DeskKeys.Ops);

        using (var response = await anonymous.SendAsync(Initialize()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await ops.SendAsync(Initialize()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await Assert.ThrowsAnyAsync<Exception>(async () => await AgentServerClient.ConnectAsync(api, DeskKeys.Ops));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyTwiceRunsOneTurnAndAnswersTheSame()
    {
        await using var api = await StartAsync();
        await using var client = await AgentServerClient.ConnectAsync(api, DeskKeys.Alice);
        var arguments = new Dictionary<string, object?> { ["message"] = SmallRefund, ["idempotency_key"] = "refund-inv-1002" };

        var first = await client.AskAsync(arguments);
        var second = await client.AskAsync(arguments);

        Assert.False(first.IsError, first.Text);
        Assert.Equal(first, second);
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        var listed = Assert.Single((await alice.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());
        Assert.Equal((ConversationId(first.Text), 2), (listed.GetProperty("id").GetString(), listed.GetProperty("messageCount").GetInt32()));

        // The key names that request; another message under it is a mistake the caller hears about.
        var reused = await client.AskAsync(new() { ["message"] = "something else", ["idempotency_key"] = "refund-inv-1002" });
        Assert.True(reused.IsError);
        Assert.Contains("was used for another request", reused.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentCallsWithOneKeyStartOneTurnInOneConversationAndAllAnswerItsReply()
    {
        await using var api = await StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AgentServerClient.ConnectAsync(api, DeskKeys.Alice)));
        try
        {
            var answers = await Task.WhenAll(clients.Select(c => c.AskAsync(new() { ["message"] = SmallRefund, ["idempotency_key"] = "same-refund", ["wait_seconds"] = 60 })));

            Assert.All(answers, a => Assert.Equal(answers[0], a));
            Assert.Matches(@"^Refunded 49\.00 USD", answers[0].Text);
            using var alice = api.ClientWithKey(DeskKeys.Alice);
            var listed = Assert.Single((await alice.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());
            Assert.Equal(2, listed.GetProperty("messageCount").GetInt32());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task RefundAboveTheThresholdAnswersWaitingForApprovalAndACallAfterTheDecisionReturnsTheOutcome()
    {
        await using var api = await StartAsync();
        await using var client = await AgentServerClient.ConnectAsync(api, DeskKeys.Alice);
        await using var bobsAgent = await AgentServerClient.ConnectAsync(api, DeskKeys.Bob);

        var (text, isError) = await client.AskAsync(new() { ["message"] = BigRefund, ["wait_seconds"] = 1 });
        Assert.False(isError, text);

        // The answer names the conversation and a key (the server's, as the caller sent none); asking with both follows the same turn.
        var conversationId = Regex.Match(text, @"conversation_id (conv_\w+)").Groups[1].Value;
        var key = Regex.Match(text, @"idempotency_key (\S+) for the outcome").Groups[1].Value;
        Assert.NotEmpty(key);
        var again = new Dictionary<string, object?> { ["message"] = BigRefund, ["conversation_id"] = conversationId, ["idempotency_key"] = key, ["wait_seconds"] = 1 };
        for (var attempt = 0; attempt < 60 && text.StartsWith("still running", StringComparison.Ordinal); attempt++)
        {
            (text, _) = await client.AskAsync(again);
        }

        var waiting = Regex.Match(text, @"^waiting for approval: (apr_\w+); call again with conversation_id conv_\w+ and idempotency_key \S+ for the outcome\.$");
        Assert.True(waiting.Success, text);

        // A new message meanwhile is not sent: the answer reports the turn in progress instead.
        var busy = await client.AskAsync(new() { ["message"] = "any news?", ["conversation_id"] = conversationId, ["wait_seconds"] = 0 });
        Assert.Equal(
            ($"Conversation '{conversationId}' is in the middle of a turn, so your message was not sent. waiting for approval: {waiting.Groups[1].Value}; call again with conversation_id {conversationId} once it has ended.", false),
            busy);

        // Another principal may not continue it.
        var refused = await bobsAgent.AskAsync(new() { ["message"] = "approve my refund", ["conversation_id"] = conversationId });
        Assert.True(refused.IsError);
        Assert.Contains("belongs to another principal", refused.Text, StringComparison.Ordinal);

        using var bob = api.ClientWithKey(DeskKeys.Bob);
        await bob.PostJsonAsync($"/api/approvals/{waiting.Groups[1].Value}/decision", new { approve = true, comment = "duplicate confirmed" });
        again["wait_seconds"] = 60;
        var outcome = await client.AskAsync(again);

        Assert.False(outcome.IsError, outcome.Text);
        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.", outcome.Text);
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        Assert.Equal(2, (await alice.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task BadArgumentsAreErrorsThatSayWhatToSend()
    {
        await using var api = await StartAsync();
        await using var client = await AgentServerClient.ConnectAsync(api, DeskKeys.Alice);

        // Each is a tool error (isError) whose text the calling model reads and can act on; none is a 500.
        var missing = await client.AskAsync(new() { ["conversation_id"] = "conv_x" });
        Assert.True(missing.IsError);
        Assert.Contains("Missing required argument 'message'.", missing.Text, StringComparison.Ordinal);
        var tooLong = await client.AskAsync(new() { ["message"] = "hi", ["wait_seconds"] = 9999 });
        Assert.True(tooLong.IsError);
        Assert.Contains("'wait_seconds' must be a whole number from 0 to 120 (AgentServer:MaxWaitSeconds); got 9999.", tooLong.Text, StringComparison.Ordinal);
        var unknown = await client.AskAsync(new() { ["message"] = "hi", ["conversation_id"] = "conv_nope" });
        Assert.True(unknown.IsError);
        Assert.Contains("No conversation 'conv_nope' exists; omit conversation_id to start a new one.", unknown.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentServedToNamedPrincipalsIsListedOnlyForThemAndRefusedToOthers()
    {
        var settings = Settings();
        settings["AgentServer:Agents:billing:Roles:0"] = "user";
        settings["AgentServer:Agents:billing:Principals:0"] = "bob";
        await using var api = await ApiServer.StartAsync(settings);
        await using var alice = await AgentServerClient.ConnectAsync(api, DeskKeys.Alice);
        await using var bob = await AgentServerClient.ConnectAsync(api, DeskKeys.Bob);

        Assert.Equal(["ask_coordinator"], (await alice.ListToolsAsync()).Select(t => t.Name));
        Assert.Equal(["ask_billing", "ask_coordinator"], (await bob.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal));
        var refused = await alice.AskAsync(new() { ["message"] = SmallRefund }, "ask_billing");

        Assert.Equal(("'alice' may not ask the billing agent (AgentServer:Agents:billing names who may).", true), refused);
    }

    [Fact]
    public async Task AServedAgentThatIsNotDefinedStopsTheStartWithItsName()
    {
        var settings = Settings();
        settings["AgentServer:Agents:nobody:Roles:0"] = "user";

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await ApiServer.StartAsync(settings));

        Assert.Contains("AgentServer:Agents:nobody names no agent", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings()
    {
        var settings = DeskKeys.Settings();
        settings["AgentServer:Agents:coordinator:Roles:0"] = "user";
        return settings;
    }

    private static Task<ApiServer> StartAsync() => ApiServer.StartAsync(Settings());

    private static string ConversationId(string text) => Regex.Match(text, @"conversation_id (conv_\w+)").Groups[1].Value;

    private static HttpRequestMessage Initialize()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }
}
