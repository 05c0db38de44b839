using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests.Support;

/// <summary>Reading what a <see cref="RecordingChatClient"/> wrote, and requests that name a conversation.</summary>
public static class Recording
{
    public static List<JsonElement> Lines(string path) => [.. File.ReadAllLines(path).Select(Json.Parse)];

    public static ChatOptions For(string agent, string conversation, params string[] tools)
    {
        var options = Chat.For(agent, tools);
        options.AdditionalProperties![MockChatClient.ConversationPropertyKey] = conversation;
        return options;
    }

    /// <summary>A specialist's request: its system prompt and the hand-off's request as the only user message.</summary>
    public static ChatMessage[] Ask(string agent, string request) => [new(ChatRole.System, $"You are the {agent} agent.") { AuthorName = agent }, Chat.User(request)];
}
