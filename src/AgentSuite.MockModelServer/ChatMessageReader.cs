using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>Reads a request's <c>messages</c> into the <see cref="ChatMessage"/>s an <see cref="IChatClient"/> takes.</summary>
internal static class ChatMessageReader
{
    public static List<ChatMessage> Read(JsonElement request)
    {
        var messages = JsonFields.Array(request, "messages", "messages") ?? throw new InvalidRequestException(
            "'messages' is required: send the conversation as an array of messages such as {\"role\":\"user\",\"content\":\"...\"}.", "messages");
        if (messages.GetArrayLength() == 0)
        {
            throw new InvalidRequestException("'messages' is empty: send at least one message; the mock model answers the latest user message.", "messages");
        }

        var read = new List<ChatMessage>();
        var callIds = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            read.Add(ReadMessage(message, $"messages[{index++}]", callIds));
        }

        return read;
    }

    private static ChatMessage ReadMessage(JsonElement message, string path, HashSet<string> callIds)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.WrongType(path, "a message object with a 'role'", message);
        }

        var role = JsonFields.RequiredString(message, "role", path + ".role", "every message has one: system, developer, user, assistant or tool.");
        var read = role switch
        {
            // A developer message is the newer name for a system message.
            "system" or "developer" or "user" => new ChatMessage(role == "user" ? ChatRole.User : ChatRole.System, MessageContent.Read(message, path, requiredFor: role)),
            "assistant" => Assistant(message, path, callIds),
            "tool" => Tool(message, path, callIds),
            _ => throw new InvalidRequestException(
                $"'{path}.role' is '{role}', which is not a role this server knows: use system, developer, user, assistant or tool.", path + ".role"),
        };
        read.AuthorName = JsonFields.String(message, "name", path + ".name");
        return read;
    }

    private static ChatMessage Assistant(JsonElement message, string path, HashSet<string> callIds)
    {
        var contents = MessageContent.Read(message, path, requiredFor: null);
        var toolCalls = JsonFields.Array(message, "tool_calls", path + ".tool_calls");
        var index = 0;
        foreach (var toolCall in toolCalls?.EnumerateArray() ?? default)
        {
            var call = ToolCallReader.Read(toolCall, $"{path}.tool_calls[{index++}]");
            callIds.Add(call.CallId);
            contents.Add(call);
        }

        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private static ChatMessage Tool(JsonElement message, string path, HashSet<string> callIds)
    {
        var param = path + ".tool_call_id";
        var callId = JsonFields.RequiredString(message, "tool_call_id", param, "a tool message answers the assistant's tool call with that id.");
        if (!callIds.Contains(callId))
        {
            throw new InvalidRequestException(
                $"'{param}' is '{callId}', but no earlier assistant message has a tool call with that id: a tool message must answer a preceding message's 'tool_calls'.", param);
        }

        var text = string.Concat(MessageContent.Read(message, path, requiredFor: "tool").OfType<TextContent>().Select(t => t.Text));
        return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, text)]);
    }
}
