using System.Text.Encodings.Web;
using System.Text.Json;
using AgentSuite.Cli.Api;
using Spectre.Console;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// What <c>--json</c> prints: JSON written straight to stdout's writer, past Spectre, so no colour, markup or wrapping
/// gets into it; a document indented, an event on one line (JSON Lines).
/// </summary>
public static class JsonOutput
{
    // Not for HTML: arrows and quotes in agents' text stay readable instead of becoming \u escapes.
    private static readonly JsonSerializerOptions Line = new(ApiJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Indented = new(Line) { WriteIndented = true };

    public static void Document<T>(IAnsiConsole console, T value) => console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Indented));

    public static void Lines<T>(IAnsiConsole console, T value) => console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Line));

    /// <summary>A turn event as the Api sent it; one the CLI made up (the end of a turn it did not see) from its fields.</summary>
    public static void Event(IAnsiConsole console, TurnEvent e)
    {
        if (e.Json is { } json)
        {
            Lines(console, json);
            return;
        }

        Lines(console, e);
    }
}
