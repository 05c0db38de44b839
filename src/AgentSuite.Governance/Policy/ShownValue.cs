using System.Globalization;
using System.Text;
using System.Text.Json;
using Json.Pointer;

namespace AgentSuite.Governance.Policy;

/// <summary>How denial reasons show argument values and names: a short prefix on one line, never a whole value.</summary>
internal static class ShownValue
{
    public const int MaxShownChars = 40;
    private const int MaxShownItems = 10;

    public static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined => "(unknown)",
        JsonValueKind.String => Quote(value.GetString()!),
        _ => Shorten(value.GetRawText()),
    };

    public static string ShowList(JsonElement values) => values.ValueKind != JsonValueKind.Array
        ? Show(values)
        : $"[{string.Join(", ", values.EnumerateArray().Take(MaxShownItems).Select(Show))}{(values.GetArrayLength() > MaxShownItems ? ", ..." : "")}]";

    public static string Quote(string text) => $"\"{Shorten(text)}\"";

    public static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => $"number {Show(value)}",
        JsonValueKind.Undefined => "nothing",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    // Keeps text short and on one line whatever the model or the server sent.
    public static string Shorten(string text, int max = MaxShownChars)
    {
        var cut = text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)] + "...";
        return string.Concat(cut.Select(c => char.IsControl(c) ? ' ' : c));
    }

    /// <summary>The segments of a JSON pointer, unescaped (<c>~1</c> is '/', <c>~0</c> is '~').</summary>
    public static List<string> Segments(JsonPointer pointer)
    {
        var segments = new List<string>(pointer.SegmentCount);
        for (var i = 0; i < pointer.SegmentCount; i++)
        {
            segments.Add(pointer[i].ToString().Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return segments;
    }

    /// <summary>A location in the arguments as <c>$.orders[1]['first name']</c>.</summary>
    public static string Path(IReadOnlyList<string> segments, JsonElement root)
    {
        var text = new StringBuilder("$");
        var current = root;
        foreach (var segment in segments)
        {
            if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                text.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                current = current[index];
                continue;
            }

            var plain = segment.Length is > 0 and <= MaxShownChars && !char.IsAsciiDigit(segment[0])
                && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');
            text.Append(plain ? $".{segment}" : $"['{Shorten(segment).Replace("'", "\\'", StringComparison.Ordinal)}']");
            current = current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child) ? child : default;
        }

        return text.ToString();
    }

    /// <summary>The value at a location in the arguments, or an undefined element.</summary>
    public static JsonElement At(IReadOnlyList<string> segments, JsonElement root)
    {
        var current = root;
        foreach (var segment in segments)
        {
            current = current.ValueKind switch
            {
                JsonValueKind.Object when current.TryGetProperty(segment, out var child) => child,
                JsonValueKind.Array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < current.GetArrayLength() => current[i],
                _ => default,
            };
        }

        return current;
    }
}
