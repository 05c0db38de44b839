using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace AgentSuite.Api;

/// <summary>
/// Says which field of a JSON body has the wrong type, by its JSON path (<c>$.text</c>), with the JSON type the call
/// expects there and the one it got: the words a client's author knows, not the Api's .NET types.
/// </summary>
internal static partial class JsonBodyShape
{
    public static string Describe(Type bodyType, string? path, JsonElement root, JsonSerializerOptions options)
    {
        var segments = Segments(path ?? "$");
        var expected = options.GetTypeInfo(bodyType);
        JsonElement? actual = root;
        foreach (var segment in segments)
        {
            expected = expected is null ? null : Member(expected, segment, options);
            actual = actual is { } element ? Child(element, segment) : null;
        }

        var where = segments.Count == 0 ? "The body" : $"The field {path}";
        var wanted = expected is null ? null : JsonTypeOf(expected);
        var got = actual is { } value ? JsonTypeOf(value.ValueKind) : null;
        return (wanted, got) switch
        {
            (null, _) => $"{where} does not have the shape this call reads.",
            (_, null) => $"{where} must be {wanted}.",
            _ when wanted == got => $"{where} is not a valid value: it must be {wanted} the Api can hold (a whole number in range, a known name, a valid date).",
            _ => $"{where} must be {wanted}, not {got}.",
        };
    }

    /// <summary><c>$.items[0]['odd name']</c> as <c>items</c>, <c>0</c>, <c>odd name</c>.</summary>
    private static List<string> Segments(string path) =>
        PathSegment().Matches(path).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value).ToList();

    private static JsonTypeInfo? Member(JsonTypeInfo type, string segment, JsonSerializerOptions options)
    {
        if (type.Kind is JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary)
        {
            return type.ElementType is { } element ? options.GetTypeInfo(element) : null;
        }

        var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return type.Kind == JsonTypeInfoKind.Object && type.Properties.FirstOrDefault(p => string.Equals(p.Name, segment, comparison)) is { } property
            ? options.GetTypeInfo(property.PropertyType)
            : null;
    }

    private static JsonElement? Child(JsonElement element, string segment) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Where(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault(),
        JsonValueKind.Array when int.TryParse(segment, out var i) && i >= 0 && i < element.GetArrayLength() => element[i],
        _ => null,
    };

    private static string JsonTypeOf(JsonTypeInfo type)
    {
        var clr = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
        return type.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            _ when clr == typeof(bool) => "true or false",
            _ when clr == typeof(string) || clr == typeof(char) || clr == typeof(Guid) || clr.IsEnum => "a string",
            _ when clr == typeof(DateTime) || clr == typeof(DateTimeOffset) || clr == typeof(DateOnly) || clr == typeof(TimeSpan) => "a date or time as a string",
            _ when clr.IsPrimitive || clr == typeof(decimal) => "a number",
            _ => "a JSON value",
        };
    }

    private static string JsonTypeOf(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };

    [GeneratedRegex(@"\.([^.\[]+)|\['((?:[^']|'')*)'\]|\[(\d+)\]")]
    private static partial Regex PathSegment();
}
