using System.Net;
using System.Text.Json;
using AgentSuite.MockModelServer.Tests.Support;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>The exact JSON of a non-streamed answer, and how the request's fields reach the mock.</summary>
[Collection(MockModelServerCollection.Name)]
public sealed class CompletionWireTests(MockModelServerFixture fixture)
{
    [Fact]
    public async Task CompletionHasOpenAIsShapeWithArgumentsAsAString()
    {
        var (status, body) = await fixture.Server.PostJsonAsync(Demo.BillingRequestJson("\"temperature\":0.2,\"max_tokens\":200,\"some_future_field\":{\"x\":1}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("mock-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.True(body.GetProperty("created").GetInt64() > 0);
        Assert.Equal("agentsuite-mock", body.GetProperty("model").GetString());
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("billing_get_invoice", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"invoice_id":"INV-1002"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""[{"role":"developer","name":"billing","content":"Billing."},{"role":"user","content":"I was charged twice on INV-1002, please refund it"}]""", "billing_get_invoice")]
    [InlineData("""[{"role":"system","content":"Be kind."},{"role":"system","name":"billing","content":"Billing."},{"role":"user","content":"I was charged twice on INV-1002, please refund it"}]""", null)]
    [InlineData("""[{"role":"system","name":"billing","content":[{"type":"text","text":"Billing."}]},{"role":"user","content":[{"type":"text","text":"I was charged twice on INV-1002,"},{"type":"text","text":" please refund it"}]}]""", "billing_get_invoice")]
    public async Task TheAgentIsTheFirstSystemMessagesName(string messages, string? expectedCall)
    {
        var (status, body) = await fixture.Server.PostJsonAsync($$"""{"model":"m","messages":{{messages}},"tools":{{Demo.ToolsJson}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var message = body.GetProperty("choices")[0].GetProperty("message");
        if (expectedCall is null)
        {
            Assert.False(message.TryGetProperty("tool_calls", out _));
            Assert.Contains("no agent named", message.GetProperty("content").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expectedCall, message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task ToolChoiceNoneWithdrawsTheTools()
    {
        var (status, body) = await fixture.Server.PostJsonAsync(Demo.BillingRequestJson("\"tool_choice\":\"none\""));

        Assert.Equal(HttpStatusCode.OK, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
        Assert.StartsWith("I cannot do this: the mock script calls 'billing_get_invoice', which is not available", choice.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
    }
}
