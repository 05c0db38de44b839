using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentSuite.McpHosting;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before the tool runs. Without it a missing or
/// mistyped argument fails inside parameter binding and the model reads only "An error occurred"; with it the model
/// reads which argument was wrong and what the tool takes.
/// </summary>
public static class ToolArgumentCheck
{
    /// <summary>A call-tool filter for <c>WithRequestFilters(f => f.AddCallToolFilter(ToolArgumentCheck.Filter))</c>.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (request, cancellationToken) =>
        {
            if (request.MatchedPrimitive is McpServerTool tool)
            {
                Check(tool.ProtocolTool, request.Params?.Arguments);
            }

            return next(request, cancellationToken);
        };

    /// <summary>Throws an <see cref="McpException"/> naming the first unknown, missing or mistyped argument.</summary>
    public static void Check(Tool tool, IDictionary<string, JsonElement>? arguments)
    {
        var schema = tool.InputSchema;
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties))
        {
            return;
        }

        arguments ??= new Dictionary<string, JsonElement>();
        foreach (var name in arguments.Keys)
        {
            if (!properties.TryGetProperty(name, out _))
            {
                throw new McpException($"Unknown argument '{name}'. {Signature(tool.Name, properties, schema)}");
            }
        }

        foreach (var required in Required(schema))
        {
            if (!arguments.ContainsKey(required))
            {
                throw new McpException($"Missing required argument '{required}'. {Signature(tool.Name, properties, schema)}");
            }
        }

        foreach (var (name, value) in arguments)
        {
            var types = Types(properties.GetProperty(name));
            if (types.Count > 0 && !types.Any(type => Fits(type, value)))
            {
                throw new McpException(
                    $"Argument '{name}' must be {string.Join(" or ", types.Select(Article))}, but got {Describe(value)}. {Signature(tool.Name, properties, schema)}");
            }
        }
    }

    private static string Article(string type) => type switch
    {
        "integer" or "array" or "object" => "an " + type,
        "null" => type,
        _ => "a " + type,
    };

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {Truncate(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Signature(string tool, JsonElement properties, JsonElement schema)
    {
        var required = Required(schema).ToHashSet(StringComparer.Ordinal);
        var parameters = properties.EnumerateObject().Select(p =>
            $"{p.Name} ({string.Join("|", Types(p.Value).DefaultIfEmpty("any"))}{(required.Contains(p.Name) ? ", required" : "")})");
        return $"{tool} takes: {string.Join(", ", parameters)}.";
    }

    private static IEnumerable<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? required.EnumerateArray().Select(r => r.GetString()!).Where(r => r is not null)
            : [];

    private static List<string> Types(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
    }
}
