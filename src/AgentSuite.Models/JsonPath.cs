using System.Globalization;
using System.Text.Json;

namespace AgentSuite.Models;

/// <summary>
/// Follows a dotted path (<c>charges.1.charge_id</c>) into a JSON value: names select properties (exact spelling),
/// whole numbers select array items from 0. Text holding JSON is read as JSON on the way.
/// </summary>
internal static class JsonPath
{
    /// <exception cref="MissingValueException">A step of the path leads nowhere; the reason names the step and what is there instead.</exception>
    public static JsonElement Resolve(JsonElement value, IReadOnlyList<string> path, string label, string expression)
    {
        foreach (var segment in path)
        {
            if (value.ValueKind == JsonValueKind.String && JsonText.TryParseStructured(value.GetString()!, out var parsed))
            {
                value = parsed;
            }

            value = value.ValueKind switch
            {
                JsonValueKind.Object => value.TryGetProperty(segment, out var property)
                    ? property
                    : throw new MissingValueException(expression, $"{label} has no '{segment}' (it has: {Names(value)})."),
                JsonValueKind.Array => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < value.GetArrayLength()
                    ? value[index]
                    : throw new MissingValueException(expression, $"{label} is a list of {value.GetArrayLength()} item(s), so '{segment}' is not in it (items are numbered from 0)."),
                _ => throw new MissingValueException(expression, $"{label} is {Describe(value)}, so it has no '{segment}'."),
            };
            label += "." + segment;
        }

        return value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? throw new MissingValueException(expression, $"{label} is null.")
            : value;
    }

    private static string Names(JsonElement value)
    {
        var names = value.EnumerateObject().Select(p => p.Name).ToList();
        return names.Count == 0 ? "nothing" : string.Join(", ", names);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the value {value.GetRawText()}",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
