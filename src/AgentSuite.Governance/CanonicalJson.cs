using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>
/// One byte-exact JSON form for hashing: object keys sorted ordinally, no white space, numbers normalised
/// (<c>100</c>, <c>100.0</c> and <c>1e2</c> are the same value and hash the same).
/// </summary>
public static class CanonicalJson
{
    public static byte[] ToUtf8Bytes(JsonElement element) => Write(element).ToArray();

    public static string ToString(JsonElement element) => System.Text.Encoding.UTF8.GetString(Write(element));

    /// <summary>Turns any value the model or a tool produced into a JSON element (using the AI serializer options).</summary>
    public static JsonElement ToElement(object? value) => value switch
    {
        JsonElement e => e,
        JsonDocument d => d.RootElement,
        _ => JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value?.GetType() ?? typeof(object))),
    };

    /// <summary>Lower-case hex SHA-256 of the canonical form.</summary>
    public static string Sha256(JsonElement element) => Hashing.Sha256Hex(Write(element));

    /// <summary>SHA-256 and byte length of the canonical form, without keeping the bytes.</summary>
    public static (string Hash, int Length) Sha256WithLength(JsonElement element)
    {
        var bytes = Write(element);
        return (Hashing.Sha256Hex(bytes), bytes.Length);
    }

    private static ReadOnlySpan<byte> Write(JsonElement element)
    {
        var scratch = JsonScratch.Get(JsonScratch.Slot.Canonical);
        Write(scratch.Writer, element);
        scratch.Writer.Flush();
        return scratch.Written;
    }

    public static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var count = element.GetPropertyCount();
                var properties = new (string Name, JsonElement Value)[count];
                var n = 0;
                foreach (var p in element.EnumerateObject())
                {
                    properties[n++] = (p.Name, p.Value);
                }

                Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                for (var i = 0; i < properties.Length; i++)
                {
                    // Duplicate keys are ambiguous (parsers disagree on which wins), so refuse to give them one hash.
                    if (i > 0 && string.Equals(properties[i - 1].Name, properties[i].Name, StringComparison.Ordinal))
                    {
                        throw new JsonException($"Duplicate property '{properties[i].Name}' has no canonical form.");
                    }

                    writer.WritePropertyName(properties[i].Name);
                    Write(writer, properties[i].Value);
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
