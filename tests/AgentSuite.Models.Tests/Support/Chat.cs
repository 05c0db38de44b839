using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>Builds the requests an agent loop sends: messages, and options naming the agent and offering tools.</summary>
public static class Chat
{
    public static ChatOptions For(string agent, params string[] tools) => new()
    {
        AdditionalProperties = new() { [MockChatClient.AgentPropertyKey] = agent },
        Tools = [.. tools.Select(t => (AITool)FakeTool.Returning(t, "{}"))],
    };

    public static ChatMessage User(string text) => new(ChatRole.User, text);

    public static ChatMessage System(string text) => new(ChatRole.System, text);

    public static ChatMessage Called(string callId, string tool, IDictionary<string, object?>? arguments = null) =>
        new(ChatRole.Assistant, [new FunctionCallContent(callId, tool, arguments ?? new Dictionary<string, object?>())]);

    public static ChatMessage Result(string callId, object? result) => new(ChatRole.Tool, [new FunctionResultContent(callId, result)]);

    public static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    public static FunctionCallContent SingleCall(this ChatResponse response) =>
        Assert.Single(Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>());

    public static string Arg(this FunctionCallContent call, string name) =>
        Assert.IsType<System.Text.Json.JsonElement>(call.Arguments![name]).ToString();
}
