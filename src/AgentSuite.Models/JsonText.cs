using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentSuite.Models;

/// <summary>The JSON helpers of the mock: values as the text a model reads, and text that is really JSON read as JSON.</summary>
internal static class JsonText
{
    // Results are read by people and models, not embedded in HTML: keep quotes and non-ASCII letters as they are.
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonElement String(string value) => JsonSerializer.SerializeToElement(value);

    /// <summary>A string as itself, a number as written (49.00 stays 49.00), anything else as compact JSON.</summary>
    public static string ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => Compact(value),
    };

    public static string Compact(JsonElement value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Relaxed))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads text that holds a JSON object or array (tools often return JSON as text); anything else is not JSON here.</summary>
    public static bool TryParseStructured(string text, out JsonElement value)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 1 && ((trimmed[0] == '{' && trimmed[^1] == '}') || (trimmed[0] == '[' && trimmed[^1] == ']')))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                value = document.RootElement.Clone();
                return true;
            }
            catch (JsonException)
            {
                // Text that merely looks like JSON stays text.
            }
        }

        value = default;
        return false;
    }

    /// <summary>A tool result (JsonElement, JsonNode, string, or any serializable object) as the JSON a model would read.</summary>
    public static JsonElement FromResult(object? result)
    {
        switch (result)
        {
            case null:
                return JsonSerializer.SerializeToElement<object?>(null);
            case JsonElement element:
                return element.ValueKind == JsonValueKind.String && TryParseStructured(element.GetString()!, out var inner) ? inner : element;
            case string text:
                return TryParseStructured(text, out var parsed) ? parsed : String(text);
            default:
                try
                {
                    return JsonSerializer.SerializeToElement(result, Microsoft.Extensions.AI.AIJsonUtilities.DefaultOptions);
                }
                catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
                {
                    return String(result.ToString() ?? "");
                }
        }
    }
}
