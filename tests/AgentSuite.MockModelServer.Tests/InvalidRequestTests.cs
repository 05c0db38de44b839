using System.Net;
using System.Text.Json;
using AgentSuite.MockModelServer.Tests.Support;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>Bad input gets a 400 in OpenAI's error shape that names the field and what is wrong, never a 500.</summary>
[Collection(MockModelServerCollection.Name)]
public sealed class InvalidRequestTests(MockModelServerFixture fixture)
{
    private const string User = """{"role":"user","content":"I was charged twice on INV-1002, please refund it"}""";
    private const string AssistantCall = """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"billing_get_invoice","arguments":"{\"invoice_id\":\"INV-1002\"}"}}]}""";

    public static TheoryData<string, string?, string> BadRequests => new()
    {
        { """{"model":"m","messages":[""", null, "The request body is not valid JSON" },
        { "", null, "The request body is not valid JSON" },
        { "[1,2]", "body", "'body' must be a JSON object" },
        { """{"model":"m"}""", "messages", "'messages' is required" },
        { """{"model":"m","messages":"hello"}""", "messages", "'messages' must be an array" },
        { """{"model":"m","messages":[]}""", "messages", "'messages' is empty" },
        { """{"messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role", "'messages[0].role' is 'wizard', which is not a role" },
        { """{"messages":[{"content":"hi"}]}""", "messages[0].role", "'messages[0].role' is required" },
        { """{"messages":[null]}""", "messages[0]", "'messages[0]' must be a message object with a 'role', but it is null" },
        { """{"messages":[{"role":"user"}]}""", "messages[0].content", "'messages[0].content' is required for a user message" },
        { $$$"""{"n":2,"stream":true,"messages":[{{{User}}}]}""", "n", "'n' is 2: the mock model gives exactly one choice" },
        { $$$"""{"messages":[{{{User}}},{{{AssistantCall}}},{"role":"tool","content":"{}"}]}""", "messages[2].tool_call_id", "'messages[2].tool_call_id' is required" },
        { $$$"""{"messages":[{{{User}}},{{{AssistantCall}}},{"role":"tool","tool_call_id":"call_9","content":"{}"}]}""", "messages[2].tool_call_id", "no earlier assistant message has a tool call with that id" },
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""", "messages[0].content[0].type", "the mock model reads text parts only" },
        { $$$"""{"messages":[{{{User}}},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"x","arguments":"{not json"}}]}]}""", "messages[1].tool_calls[0].function.arguments", "is not JSON" },
        { $$$"""{"messages":[{{{User}}}],"tools":{}}""", "tools", "'tools' must be an array" },
        { $$$"""{"messages":[{{{User}}}],"tools":[{"type":"function","function":{"description":"no name"}}]}""", "tools[0].function.name", "'tools[0].function.name' is required" },
        { $$$"""{"messages":[{{{User}}}],"tool_choice":"sometimes"}""", "tool_choice", "'tool_choice' is 'sometimes'" },
        { $$$"""{"messages":[{{{User}}}],"stream":"yes"}""", "stream", "'stream' must be true or false" },
        { $$$"""{"messages":[{{{User}}}],"temperature":"hot"}""", "temperature", "'temperature' must be a number" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestIsA400NamingTheField(string body, string? param, string message)
    {
        var (status, answer) = await fixture.Server.PostJsonAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = answer.GetProperty("error");
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }
}
