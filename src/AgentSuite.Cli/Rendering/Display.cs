using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace AgentSuite.Cli.Rendering;

/// <summary>Small formatting helpers shared by the views: escaped text, local times, compact JSON.</summary>
internal static class Display
{
    public static string Escape(string? text) => Markup.Escape(text ?? "");

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    public static string Json(JsonElement? element) =>
        element is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } value ? JsonSerializer.Serialize(value) : "";

    /// <summary>A colour for a decision word: green for things that went through, red for stops, yellow for waits.</summary>
    public static string Colour(string? decision) => decision switch
    {
        "allowed" or "approved" or "completed" or "replayed" => "green",
        "denied" or "failed" or "timed_out" or "abandoned" => "red",
        "pending" or "waiting" => "yellow",
        _ => "grey",
    };
}
