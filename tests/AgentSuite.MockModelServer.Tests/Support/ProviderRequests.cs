using System.Text.Json;
using AgentSuite.Models;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>The demo's billing conversation as the app's OpenAI provider (<see cref="OpenAIChatClient"/>) sends it.</summary>
public static class ProviderRequests
{
    public static OpenAIChatClient Provider(MockModelServerProcess server, string? key = null) => new(new OpenAIModelOptions
    {
        Endpoint = server.V1,
        Model = MockChatClient.ModelId,
        ApiKey = key,
        MaxRetries = 0,
        Timeout = Timeouts.Call,
    });

    public static List<ChatMessage> Billing(string request = Demo.Refund) =>
        [new(ChatRole.System, Demo.BillingPrompt) { AuthorName = "billing" }, new(ChatRole.User, request)];

    public static ChatOptions Tools() => new()
    {
        Tools = [.. JsonDocument.Parse(Demo.ToolsJson).RootElement.EnumerateArray().Select(t => t.GetProperty("function")).Select(f =>
            (AITool)AIFunctionFactory.CreateDeclaration(f.GetProperty("name").GetString()!, f.GetProperty("description").GetString(), f.GetProperty("parameters").Clone()))],
        AdditionalProperties = new() { [MockChatClient.ConversationPropertyKey] = "conv_provider" },
    };

    public static async Task<ChatResponse> AskAsync(this IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions options, bool streaming) =>
        streaming ? (await client.GetStreamingResponseAsync(messages, options).ToListAsync()).ToChatResponse() : await client.GetResponseAsync(messages, options);

    public static List<FunctionCallContent> Calls(this ChatResponse response) => [.. response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()];

    public static string Argument(this FunctionCallContent call, string name) => ((JsonElement)call.Arguments![name]!).GetRawText();
}
