using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;
using static AgentSuite.Models.Tests.Support.OpenAIAnswers;

namespace AgentSuite.Models.Tests;

/// <summary>What the OpenAI provider (Microsoft.Extensions.AI.OpenAI) puts on the wire, read from a real loopback server.</summary>
public sealed class OpenAIRequestTests : IDisposable
{
    private readonly LoopbackModelServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TheRequestCarriesTheAgentsNameToolsSettingsAndKeyButNoInternalOptions()
    {
        _server.Reply(Text);
        await Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options());

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
        Assert.DoesNotContain("agentsuite", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("conv_wire", request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecutionSettingsTheAbstractionsDoNotNameReachTheWireAndTheAppsOwnKeysDoNot(bool streaming)
    {
        if (streaming)
        {
            _server.Stream(StreamedText("Done."));
            await Provider(_server.Endpoint).GetStreamingResponseAsync(Conversation(), Options()).ToListAsync();
        }
        else
        {
            _server.Reply(Text);
            await Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options());
        }

        var request = Assert.Single(_server.Requests);
        var body = request.Json;
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        Assert.Equal("flex", body.GetProperty("service_tier").GetString());
        Assert.Equal("dana-7", body.GetProperty("user").GetString());
        Assert.Equal(40, body.GetProperty("top_k").GetInt64());
        Assert.Equal(-100, body.GetProperty("logit_bias").GetProperty("50256").GetInt32());
        Assert.DoesNotContain("agentsuite", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("conv_wire", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSettingsDoNotChangeTheCallersOptions()
    {
        _server.Reply(Text);
        var options = Options();
        await Provider(_server.Endpoint).GetResponseAsync(Conversation(), options);

        Assert.Null(options.RawRepresentationFactory);
        Assert.Equal("flex", options.AdditionalProperties!["service_tier"]);
    }

    [Fact]
    public async Task AnAgentsModelIdReplacesTheConfiguredModel()
    {
        _server.Reply(Text);
        var options = Options();
        options.ModelId = "agent-model";
        await Provider(_server.Endpoint).GetResponseAsync(Conversation(), options);

        Assert.Equal("agent-model", Assert.Single(_server.Requests).Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task ToolCallsAndResultsGoBackInTheProtocolsShape()
    {
        _server.Reply(Text);
        var history = Conversation();
        history.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "billing_get_invoice", new Dictionary<string, object?> { ["invoice_id"] = "INV-1002" })]));
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", JsonSerializer.SerializeToElement(new { invoice_id = "INV-1002", total = 98.0 }))]));
        await Provider(_server.Endpoint).GetResponseAsync(history, Options());

        var messages = Assert.Single(_server.Requests).Json.GetProperty("messages");
        var call = messages[2].GetProperty("tool_calls")[0];
        Assert.Equal(("call_1", "billing_get_invoice"), (call.GetProperty("id").GetString(), call.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("INV-1002", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("invoice_id").GetString());
        Assert.Equal(("tool", "call_1"), (messages[3].GetProperty("role").GetString(), messages[3].GetProperty("tool_call_id").GetString()));
        Assert.Equal(98.0, JsonDocument.Parse(messages[3].GetProperty("content").GetString()!).RootElement.GetProperty("total").GetDouble());
    }
}
