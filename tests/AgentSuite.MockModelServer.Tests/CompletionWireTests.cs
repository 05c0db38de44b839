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

        if (expectedCall is null)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.Contains("no agent named", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(expectedCall, body.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task ToolChoiceNoneWithdrawsTheTools()
    {
        var (status, body) = await fixture.Server.PostJsonAsync(Demo.BillingRequestJson("\"tool_choice\":\"none\""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = body.GetProperty("error");
        Assert.Equal("mock_script_miss", error.GetProperty("code").GetString());
        Assert.Contains("the step calls 'billing_get_invoice', which is not offered to agent 'billing' here (no tools were offered)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageTheScriptHasNoRuleForIsAScriptMissErrorWithTheDetail()
    {
        var (status, body) = await fixture.Server.PostJsonAsync(Demo.UnscriptedJson());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = body.GetProperty("error");
        Assert.Equal(("mock_script_miss", "mock_script_miss"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Equal(("demo.yaml", "coordinator", Demo.Unscripted), (error.GetProperty("script").GetString(), error.GetProperty("agent").GetString(), error.GetProperty("user_message").GetString()));
        Assert.Equal((1, 0), (error.GetProperty("model_call").GetInt32(), error.GetProperty("line").GetInt32()));
        Assert.StartsWith("The mock script 'demo.yaml' has no answer for agent 'coordinator'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("no rule matches this message. Add a rule for it under 'agents: coordinator:'", error.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamedRequestTheScriptCannotAnswerIsTheSameErrorNotAStream()
    {
        using var response = await fixture.Server.SendAsync(HttpMethod.Post, "/v1/chat/completions", Demo.UnscriptedJson("\"stream\":true"), null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("mock_script_miss", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("The mock script cannot answer this request", fixture.Server.Output, StringComparison.Ordinal);
    }
}
