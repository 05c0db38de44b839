using System.Text.Json;

namespace AgentSuite.Cli.Tests.Support;

/// <summary>What <c>--json</c> printed, read back: one document, or one per line (JSON Lines); anything else fails the parse.</summary>
public static class JsonText
{
    public static JsonElement Document(string text) => JsonSerializer.Deserialize<JsonElement>(text);

    public static IReadOnlyList<JsonElement> Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => JsonSerializer.Deserialize<JsonElement>(line))];

    public static string? Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
