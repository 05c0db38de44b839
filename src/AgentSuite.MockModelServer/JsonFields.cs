using System.Text.Json;

namespace AgentSuite.MockModelServer;

/// <summary>Reads optional fields of a request object, with an error naming the field when one has the wrong type.</summary>
internal static class JsonFields
{
    /// <summary>The field's value; null when it is missing or JSON null (OpenAI treats both as "not given").</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(JsonElement obj, string name, string param) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw WrongType(param, "a string", value),
    };

    public static bool? Boolean(JsonElement obj, string name, string param) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } value => throw WrongType(param, "true or false", value),
    };

    public static double? Number(JsonElement obj, string name, string param) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        { } value => throw WrongType(param, "a number", value),
    };

    public static int? Integer(JsonElement obj, string name, string param) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
        { } value => throw WrongType(param, "a whole number", value),
    };

    public static JsonElement? Object(JsonElement obj, string name, string param) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => value,
        { } value => throw WrongType(param, "an object", value),
    };

    public static JsonElement? Array(JsonElement obj, string name, string param) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } value => value,
        { } value => throw WrongType(param, "an array", value),
    };

    public static string RequiredString(JsonElement obj, string name, string param, string why) =>
        String(obj, name, param) ?? throw new InvalidRequestException($"'{param}' is required: {why}", param);

    public static InvalidRequestException WrongType(string param, string expected, JsonElement value) =>
        new($"'{param}' must be {expected}, but it is {Describe(value)}.", param);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
