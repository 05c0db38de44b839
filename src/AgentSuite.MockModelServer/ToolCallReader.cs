using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.MockModelServer;

/// <summary>Reads one of an assistant message's <c>tool_calls</c> back into the <see cref="FunctionCallContent"/> the mock made.</summary>
internal static class ToolCallReader
{
    public static FunctionCallContent Read(JsonElement toolCall, string path)
    {
        if (toolCall.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.WrongType(path, "a tool call object", toolCall);
        }

        if (JsonFields.String(toolCall, "type", path + ".type") is { } type and not "function")
        {
            throw new InvalidRequestException($"'{path}.type' is '{type}': this server knows only \"function\" tool calls.", path + ".type");
        }

        var id = JsonFields.RequiredString(toolCall, "id", path + ".id", "the tool message that answers the call refers to it by this id.");
        var function = JsonFields.Object(toolCall, "function", path + ".function")
            ?? throw new InvalidRequestException($"'{path}.function' is required: the call's {{\"name\",\"arguments\"}}.", path + ".function");
        var name = JsonFields.RequiredString(function, "name", path + ".function.name", "the name of the function called.");
        var arguments = JsonFields.String(function, "arguments", path + ".function.arguments");
        return new FunctionCallContent(id, name, Arguments(arguments, path + ".function.arguments"));
    }

    /// <summary>The arguments JSON text as the name-to-value map a provider's parsed arguments are (values stay JSON).</summary>
    private static Dictionary<string, object?> Arguments(string? text, string param)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw JsonFields.WrongType(param, "the JSON text of an object", document.RootElement);
            }

            var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }

            return arguments;
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException(
                $"'{param}' is not JSON: {e.Message} Send the arguments as the JSON text the model produced, e.g. \"{{\\\"invoice_id\\\":\\\"INV-1002\\\"}}\".", param);
        }
    }
}
