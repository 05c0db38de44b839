using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AgentSuite.Cli.Rendering;

/// <summary>Small formatting helpers shared by the views: escaped text, local times, compact JSON.</summary>
internal static class Display
{
    public static string Escape(string? text) => Markup.Escape(text ?? "");

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    public static string Json(JsonElement? element) =>
        element is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } value ? JsonSerializer.Serialize(value) : "";

    /// <summary>
    /// A line of markup around an id (apr_..., conv_...), the id written past Spectre, which would fold a word longer than
    /// the terminal is wide: the id stays whole on one line, to copy into the next command.
    /// </summary>
    public static void LineWithId(IAnsiConsole console, string beforeMarkup, string? id, string afterMarkup)
    {
        if (beforeMarkup.Length > 0)
        {
            console.Markup(beforeMarkup);
        }

        Whole(console, id);
        console.MarkupLine(afterMarkup);
    }

    /// <summary>Text written past Spectre, so no width folds it: an id or a link, within a line.</summary>
    public static void Whole(IAnsiConsole console, string? text) => console.Profile.Out.Writer.Write(text);

    /// <summary>A table column that keeps its cells on one line while other columns can give up width.</summary>
    public static TableColumn Unwrapped(string header) => new TableColumn(header).NoWrap();

    /// <summary>A line of plain text written past Spectre, whole whatever the width: a command to copy and run.</summary>
    public static void PlainLine(IAnsiConsole console, string text) => console.Profile.Out.Writer.WriteLine(text);

    /// <summary>
    /// True when <paramref name="table"/> fits the console: no word in it wider than its column, and each of
    /// <paramref name="ids"/> shown whole on one line (checked by drawing it at the console's width).
    /// </summary>
    public static bool Fits(IAnsiConsole console, Table table, IEnumerable<string?> ids)
    {
        var width = console.Profile.Width;
        if (((IRenderable)table).Measure(RenderOptions.Create(console), width).Min > width)
        {
            return false;
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var probe = CliIo.PlainConsole(text, console.Profile.Width);
        probe.Write(table);
        var shown = text.ToString();
        return ids.All(id => string.IsNullOrEmpty(id) || shown.Contains(id, StringComparison.Ordinal));
    }

    /// <summary>A colour for a decision word: green for things that went through, red for stops, yellow for waits.</summary>
    public static string Colour(string? decision) => decision switch
    {
        "allowed" or "approved" or "completed" or "replayed" => "green",
        "denied" or "failed" or "timed_out" or "abandoned" => "red",
        "pending" or "waiting" => "yellow",
        _ => "grey",
    };
}
