using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
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
                WriteObject(writer, element);
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
                // Printable ASCII without escapes is its own text: written from the document's bytes, it needs no string.
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (raw.Length >= 2 && IsPlainAscii(raw[1..^1]))
                {
                    writer.WriteStringValue(raw[1..^1]);
                }
                else
                {
                    writer.WriteStringValue(element.GetString());
                }

                break;
            case JsonValueKind.Number:
                WriteNumber(writer, element);
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

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element)
    {
        writer.WriteStartObject();
        var count = element.GetPropertyCount();
        var properties = ArrayPool<JsonProperty>.Shared.Rent(count);
        try
        {
            var n = 0;
            var plain = true;
            foreach (var p in element.EnumerateObject())
            {
                properties[n++] = p;
                plain &= IsPlainAscii(JsonMarshal.GetRawUtf8PropertyName(p));
            }

            if (plain)
            {
                // Unescaped ASCII names sort the same by bytes as by UTF-16 code units, and need no strings.
                Array.Sort(properties, 0, count, RawNameOrder.Instance);
                for (var i = 0; i < count; i++)
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(properties[i]);
                    if (i > 0 && name.SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(properties[i - 1])))
                    {
                        throw Duplicate(properties[i].Name);
                    }

                    writer.WritePropertyName(name);
                    Write(writer, properties[i].Value);
                }
            }
            else
            {
                WriteByNames(writer, properties.AsSpan(0, count));
            }
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(properties, clearArray: true);
        }

        writer.WriteEndObject();
    }

    /// <summary>Names with escapes or beyond ASCII: decoded, and sorted by ordinal UTF-16 order.</summary>
    private static void WriteByNames(Utf8JsonWriter writer, ReadOnlySpan<JsonProperty> source)
    {
        var properties = new (string Name, JsonElement Value)[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            properties[i] = (source[i].Name, source[i].Value);
        }

        Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 0; i < properties.Length; i++)
        {
            // Duplicate keys are ambiguous (parsers disagree on which wins), so refuse to give them one hash.
            if (i > 0 && string.Equals(properties[i - 1].Name, properties[i].Name, StringComparison.Ordinal))
            {
                throw Duplicate(properties[i].Name);
            }

            writer.WritePropertyName(properties[i].Name);
            Write(writer, properties[i].Value);
        }
    }

    private static JsonException Duplicate(string name) => new($"Duplicate property '{name}' has no canonical form.");

    private static bool IsPlainAscii(ReadOnlySpan<byte> name) =>
        !name.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && name.IndexOf((byte)'\\') < 0;

    private static void WriteNumber(Utf8JsonWriter writer, JsonElement number)
    {
        Span<char> text = stackalloc char[64];
        int written;
        if (number.TryGetDecimal(out var d))
        {
            // Dividing by 1.000…0 drops trailing zeros of the scale: 100.0 becomes 100.
            var normal = d / 1.0000000000000000000000000000m;
            if (!normal.TryFormat(text, out written, default, CultureInfo.InvariantCulture))
            {
                throw new FormatException("A decimal did not fit its buffer.");
            }
        }
        else if (!number.GetDouble().TryFormat(text, out written, "R", CultureInfo.InvariantCulture))
        {
            throw new FormatException("A double did not fit its buffer.");
        }

        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }

    private sealed class RawNameOrder : IComparer<JsonProperty>
    {
        public static readonly RawNameOrder Instance = new();

        public int Compare(JsonProperty x, JsonProperty y) =>
            JsonMarshal.GetRawUtf8PropertyName(x).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(y));
    }
}
