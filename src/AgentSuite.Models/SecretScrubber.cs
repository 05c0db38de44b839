using System.Text.Json;

namespace AgentSuite.Models;

/// <summary>Replaces every occurrence of a secret (an API key, a token) with <c>[secret]</c> in whatever a recording writes.</summary>
internal sealed class SecretScrubber
{
    public const string Mask = "[secret]";

    private readonly string[] _secrets;

    public SecretScrubber(IEnumerable<string?>? secrets)
    {
        // Longest first, so a secret that contains another is masked whole.
        _secrets = [.. (secrets ?? []).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    public string Scrub(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Writes <paramref name="value"/> with every string and property name scrubbed; a number holding a secret becomes text.</summary>
    public void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(Scrub(property.Name));
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Scrub(value.GetString()!));
                break;
            case JsonValueKind.Number when Scrub(value.GetRawText()) is var raw && raw != value.GetRawText():
                writer.WriteStringValue(raw);
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    public void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, Scrub(value));
        }
    }
}
