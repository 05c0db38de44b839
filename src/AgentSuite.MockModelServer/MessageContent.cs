using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>A message's <c>content</c>: a string, or an array of <c>{"type":"text","text":...}</c> parts.</summary>
internal static class MessageContent
{
    /// <summary>The content's text parts; <paramref name="requiredFor"/> names the role that must have content, null when it may be left out.</summary>
    public static List<AIContent> Read(JsonElement message, string path, string? requiredFor)
    {
        var param = path + ".content";
        switch (JsonFields.Get(message, "content"))
        {
            case null when requiredFor is not null:
                throw new InvalidRequestException($"'{param}' is required for a {requiredFor} message: send its text as a string.", param);
            case null:
                return [];
            case { ValueKind: JsonValueKind.String } text:
                return [new TextContent(text.GetString())];
            case { ValueKind: JsonValueKind.Array } parts:
                return [.. parts.EnumerateArray().Select((part, i) => Part(part, $"{param}[{i}]"))];
            case { } other:
                throw JsonFields.WrongType(param, "a string or an array of text parts", other);
        }
    }

    private static TextContent Part(JsonElement part, string param)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.WrongType(param, "a content part such as {\"type\":\"text\",\"text\":\"...\"}", part);
        }

        var type = JsonFields.RequiredString(part, "type", param + ".type", "a content part says what it is; this server reads \"text\" parts.");
        return type == "text"
            ? new TextContent(JsonFields.RequiredString(part, "text", param + ".text", "a text part carries its text."))
            : throw new InvalidRequestException(
                $"'{param}.type' is '{type}': the mock model reads text parts only. Send the message's text as a string or as {{\"type\":\"text\",\"text\":\"...\"}} parts.", param + ".type");
    }
}
