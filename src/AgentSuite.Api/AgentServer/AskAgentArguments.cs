using System.Text.Json;
using ModelContextProtocol;

namespace AgentSuite.Api.AgentServer;

/// <summary>The arguments of an <c>ask_NAME</c> call, checked: a bad one is an <see cref="McpException"/> that says what to send.</summary>
internal sealed record AskAgentArguments(string Message, string? ConversationId, string? IdempotencyKey, int? WaitSeconds)
{
    public const int MaxKeyLength = 200;

    public static AskAgentArguments Read(string tool, IDictionary<string, JsonElement>? arguments, int maxMessageChars, int maxWaitSeconds)
    {
        arguments ??= new Dictionary<string, JsonElement>();
        var message = Text(arguments, "message");
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new McpException($"{tool} needs a 'message': what you ask the agent.");
        }

        if (message.Length > maxMessageChars)
        {
            throw new McpException($"The message is {message.Length} characters; the limit is {maxMessageChars} (AgentSuite:MaxMessageChars). Shorten it or split it.");
        }

        var key = Text(arguments, "idempotency_key");
        if (key is { } k && (k.Length is 0 or > MaxKeyLength || k.Any(char.IsControl)))
        {
            throw new McpException($"'idempotency_key' must be 1 to {MaxKeyLength} printable characters.");
        }

        int? wait = null;
        if (arguments.TryGetValue("wait_seconds", out var w) && w.ValueKind != JsonValueKind.Null)
        {
            if (w.ValueKind != JsonValueKind.Number || !w.TryGetInt32(out var seconds) || seconds < 0 || seconds > maxWaitSeconds)
            {
                throw new McpException($"'wait_seconds' must be a whole number from 0 to {maxWaitSeconds} (AgentServer:MaxWaitSeconds); got {w.GetRawText()}.");
            }

            wait = seconds;
        }

        var conversation = Text(arguments, "conversation_id");
        if (conversation is { Length: 0 })
        {
            throw new McpException("'conversation_id' is empty; send the id a previous answer gave, or omit it to start a new conversation.");
        }

        return new AskAgentArguments(message, conversation, key, wait);
    }

    private static string? Text(IDictionary<string, JsonElement> arguments, string name)
    {
        if (!arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new McpException($"'{name}' must be a string; got {value.GetRawText()}.");
    }
}
