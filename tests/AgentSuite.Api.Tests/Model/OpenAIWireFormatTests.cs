using System.Text.Json;
using AgentSuite.Models;
using Microsoft.Extensions.AI;

namespace AgentSuite.Api.Tests.Model;

/// <summary>
/// The OpenAI provider against answers in the shape OpenAI's Chat Completions API sends (Model/Fixtures), served over
/// real HTTP: what it sends, and what it makes of tool calls, parallel calls, streamed deltas, usage and errors.
/// </summary>
public sealed class OpenAIWireFormatTests : IAsyncLifetime
{
    private const string Key = "sk-test-0123456789abcdefWIRE";
    private FixtureModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FixtureModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AToolCallAnswerBecomesAFunctionCallWithUsageAndFinishReason()
    {
        _server.Reply("tool-call.json");
        var response = await Client().GetResponseAsync(Conversation(), Options());

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.Single().Contents));
        Assert.Equal(("call_Fz3bPrRb0yE3EIyQZkQ6pDlJ", "billing_get_invoice"), (call.CallId, call.Name));
        Assert.Equal("INV-1002", Assert.IsType<JsonElement>(call.Arguments!["invoice_id"]).GetString());
        Assert.Null(call.Exception);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal((412L, 19L, 431L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal(("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-4o-mini-2024-07-18"), (response.ResponseId, response.ModelId));
    }

    [Fact]
    public async Task TheRequestCarriesTheAgentToolsSettingsAndKeyButNoInternalOptions()
    {
        _server.Reply("text.json");
        await Client().GetResponseAsync(Conversation(), Options());

        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        var body = request.Json;
        Assert.Equal("fixture-model", body.GetProperty("model").GetString());
        var system = body.GetProperty("messages")[0];
        Assert.Equal(("system", "billing"), (system.GetProperty("role").GetString(), system.GetProperty("name").GetString()));
        Assert.Equal("user", body.GetProperty("messages")[1].GetProperty("role").GetString());
        var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("billing_get_invoice", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("string", tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("invoice_id").GetProperty("type").GetString());
        Assert.Equal("auto", body.GetProperty("tool_choice").GetString());
        Assert.Equal(0, body.GetProperty("temperature").GetDouble());
        Assert.True(body.TryGetProperty("max_completion_tokens", out var max) || body.TryGetProperty("max_tokens", out max));
        Assert.Equal(800, max.GetInt32());

        // An agent's other execution_settings go out as top-level fields; the app's own keys never do.
        Assert.Equal(40, body.GetProperty("top_k").GetInt64());
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        Assert.DoesNotContain("agentsuite", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("conv_wire", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParallelToolCallsKeepTheirOrderAndArgumentTypes()
    {
        _server.Reply("parallel-tool-calls.json");
        var response = await Client().GetResponseAsync(Conversation(), Options());

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["billing_get_invoice", "policy_check_refund"], calls.Select(c => c.Name));
        var check = calls[1].Arguments!;
        Assert.Equal("49.00", Assert.IsType<JsonElement>(check["amount"]).GetRawText());
        Assert.Equal(3, Assert.IsType<JsonElement>(check["days_since_charge"]).GetInt32());
        Assert.True(Assert.IsType<JsonElement>(check["flags"]).GetProperty("first_refund").GetBoolean());
    }

    [Fact]
    public async Task StreamedToolCallDeltasAssembleIntoWholeCalls()
    {
        _server.Reply("streamed-tool-calls.sse");
        var updates = await Client().GetStreamingResponseAsync(Conversation(), Options()).ToListAsync();
        var response = updates.ToChatResponse();

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal([("call_Stream0000000000000000A", "billing_get_invoice"), ("call_Stream0000000000000000B", "policy_check_refund")], calls.Select(c => (c.CallId, c.Name)));
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal("INV-1002", ((JsonElement)calls[0].Arguments!["invoice_id"]!).GetString());
        Assert.Equal("duplicate charge", ((JsonElement)calls[1].Arguments!["reason"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(588, response.Usage!.TotalTokenCount);

        var body = Assert.Single(_server.Requests).Json;
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task StreamedTextArrivesInPiecesThatJoinToTheAnswer()
    {
        _server.Reply("streamed-text.sse");
        var updates = await Client().GetStreamingResponseAsync(Conversation(), Options()).ToListAsync();

        Assert.Equal(["I refunded ", "the duplicate charge ", "on INV-1002."], updates.Select(u => u.Text).Where(t => t.Length > 0));
        var response = updates.ToChatResponse();
        Assert.Equal("I refunded the duplicate charge on INV-1002.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((700L, 12L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount));
    }

    [Fact]
    public async Task ATruncatedAnswerReportsLength()
    {
        _server.Reply("truncated.json");
        var response = await Client().GetResponseAsync(Conversation(), Options());
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.StartsWith("The refund policy allows", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedArgumentsKeepTheirParseErrorForGovernance()
    {
        _server.Reply("invented-tool-calls.json");
        var response = await Client().GetResponseAsync(Conversation(), Options());

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal("billing_void_all_invoices", calls[0].Name);
        Assert.Null(calls[0].Exception);
        Assert.Equal("billing_get_invoice", calls[1].Name);
        Assert.NotNull(calls[1].Exception);
    }

    [Fact]
    public async Task ToolCallsAndResultsGoBackInTheProtocolsShape()
    {
        _server.Reply("text.json");
        var history = Conversation();
        history.Add(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "billing_get_invoice", new Dictionary<string, object?> { ["invoice_id"] = "INV-1002" })]));
        history.Add(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", JsonSerializer.SerializeToElement(new { invoice_id = "INV-1002", total = 98.0 }))]));
        await Client().GetResponseAsync(history, Options());

        var messages = Assert.Single(_server.Requests).Json.GetProperty("messages");
        var call = messages[2].GetProperty("tool_calls")[0];
        Assert.Equal(("call_1", "billing_get_invoice"), (call.GetProperty("id").GetString(), call.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("INV-1002", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("invoice_id").GetString());
        Assert.Equal(("tool", "call_1"), (messages[3].GetProperty("role").GetString(), messages[3].GetProperty("tool_call_id").GetString()));
        Assert.Equal(98.0, JsonDocument.Parse(messages[3].GetProperty("content").GetString()!).RootElement.GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task A429IsRetriedAfterTheServersRetryAfter()
    {
        _server.Reply("rate-limited.json", 429, ("Retry-After", "1")).Reply("text.json");
        var response = await Client().GetResponseAsync(Conversation(), Options());

        Assert.Equal("I refunded the duplicate charge of 49.00 USD on INV-1002.", response.Text);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);

        // The backoff here is 10 ms, so a second's gap can only be the server's Retry-After.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task AServerThatKeepsFailingEndsWithAClearErrorAfterTheRetries()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Reply("server-error.json", 503);
        }

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Client().GetResponseAsync(Conversation(), Options()));
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(503, error.Status);
        Assert.Contains("'fixture-model'", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("The server had an error while processing your request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadRequestIsNotRetriedAndSaysWhatTheServerObjectedTo()
    {
        _server.Reply("invalid-request.json", 400);
        var error = await Assert.ThrowsAsync<ModelCallException>(() => Client().GetStreamingResponseAsync(Conversation(), Options()).ToListAsync().AsTask());
        Assert.Single(_server.Requests);
        Assert.Equal(400, error.Status);
        Assert.Contains("messages[2].tool_call_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyEchoedByTheServerNeverReachesTheMessage()
    {
        _server.Enqueue(new FixtureAnswer(401, "application/json", $$$"""{"error":{"message":"Incorrect API key provided: {{{Key}}}.","type":"invalid_request_error","code":"invalid_api_key"}}""", [], TimeSpan.Zero));
        var error = await Assert.ThrowsAsync<ModelCallException>(() => Client().GetResponseAsync(Conversation(), Options()));
        Assert.Contains("Incorrect API key provided: [secret]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AModelThatDoesNotAnswerIsAbandonedAtTheTimeout(bool streaming)
    {
        _server.ReplyAfter(TimeSpan.FromSeconds(30), "text.json");
        var client = Client(timeout: TimeSpan.FromMilliseconds(500), retries: 0);
        var error = await Assert.ThrowsAsync<ModelCallException>(() => streaming
            ? client.GetStreamingResponseAsync(Conversation(), Options()).ToListAsync().AsTask()
            : client.GetResponseAsync(Conversation(), Options()));
        Assert.Null(error.Status);
        Assert.Contains("'fixture-model'", error.Message, StringComparison.Ordinal);
    }

    private OpenAIChatClient Client(TimeSpan? timeout = null, int retries = 2) => new(new OpenAIModelOptions
    {
        Endpoint = _server.Endpoint,
        Model = "fixture-model",
        ApiKey = Key,
        MaxRetries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    });

    private static List<Microsoft.Extensions.AI.ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You are the billing specialist.") { AuthorName = "billing" },
        new(ChatRole.User, "I was charged twice on INV-1002, please refund it"),
    ];

    private static ChatOptions Options() => new()
    {
        Temperature = 0,
        MaxOutputTokens = 800,
        Tools = [AIFunctionFactory.CreateDeclaration("billing_get_invoice", "Reads an invoice.", JsonDocument.Parse("""{"type":"object","properties":{"invoice_id":{"type":"string"}},"required":["invoice_id"]}""").RootElement)],
        AdditionalProperties = new() { ["agentsuite.agent"] = "billing", ["agentsuite.conversation"] = "conv_wire", ["top_k"] = 40L, ["reasoning_effort"] = "low" },
    };
}
