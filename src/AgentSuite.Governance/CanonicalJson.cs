using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>
/// One byte-exact JSON form for hashing: object keys sorted ordinally, no white space, numbers normalised
/// (<c>100</c>, <c>100.0</c> and <c>1e2</c> are the same value and hash the same).
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    public static byte[] ToUtf8Bytes(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, element);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string ToString(JsonElement element) => System.Text.Encoding.UTF8.GetString(ToUtf8Bytes(element));

    /// <summary>Turns any value the model or a tool produced into a JSON element (using the AI serializer options).</summary>
    public static JsonElement ToElement(object? value) => value switch
    {
        JsonElement e => e,
        JsonDocument d => d.RootElement,
        _ => JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value?.GetType() ?? typeof(object))),
    };

    /// <summary>Lower-case hex SHA-256 of the canonical form.</summary>
    public static string Sha256(JsonElement element) => Hashing.Sha256Hex(ToUtf8Bytes(element));

    public static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var properties = new List<JsonProperty>();
                foreach (var p in element.EnumerateObject())
                {
                    properties.Add(p);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                string? last = null;
                foreach (var p in properties)
                {
                    // Duplicate keys are ambiguous (parsers disagree on which wins), so refuse to give them one hash.
                    if (last is not null && string.Equals(last, p.Name, StringComparison.Ordinal))
                    {
                        throw new JsonException($"Duplicate property '{p.Name}' has no canonical form.");
                    }

                    last = p.Name;
                    writer.WritePropertyName(p.Name);
                    Write(writer, p.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(NormaliseNumber(element), skipInputValidation: true);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static string NormaliseNumber(JsonElement number)
    {
        if (number.TryGetDecimal(out var d))
        {
            // Dividing by 1.000…0 drops trailing zeros of the scale: 100.0 becomes 100.
            var normal = d / 1.0000000000000000000000000000m;
            return normal.ToString(CultureInfo.InvariantCulture);
        }

        return number.GetDouble().ToString("R", CultureInfo.InvariantCulture);
    }
}
