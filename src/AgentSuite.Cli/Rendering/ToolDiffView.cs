using System.Text.Json;
using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary><c>agentsuite tools diff</c>: the approved definition against the one served now, pretty-printed, line by line.</summary>
public static class ToolDiffView
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Render(IAnsiConsole console, ToolDefinitions definitions)
    {
        var state = definitions.Blocked ? "[red]blocked[/]" : "[green]approved[/]";
        console.MarkupLine($"{Escape(definitions.Tool)} {state}");
        console.MarkupLine($"[grey]--- approved {Hash(definitions.PinnedHash)}[/]");
        console.MarkupLine($"[grey]+++ served   {Hash(definitions.ObservedHash)}[/]");
        console.MarkupLine($"[grey]served hash  {Escape(definitions.ObservedHash ?? "none")}[/]");
        if (definitions.Pinned is null && definitions.Blocked)
        {
            console.MarkupLine("[yellow]No definition was approved yet (or it was approved before definitions were kept): all of it is new.[/]");
        }

        foreach (var (change, line) in LineDiff.Compute(Lines(definitions.Pinned), Lines(definitions.Observed)))
        {
            console.MarkupLine(change switch
            {
                '+' => $"[green]+ {Escape(line)}[/]",
                '-' => $"[red]- {Escape(line)}[/]",
                _ => $"  {Escape(line)}",
            });
        }

        if (definitions.Blocked)
        {
            console.MarkupLine($"[grey]Approve exactly this definition: agentsuite tools approve {Escape(definitions.Tool)} --hash {Escape(definitions.ObservedHash ?? "")}[/]");
        }
    }

    private static string Hash(string? hash) => hash is { Length: >= 12 } ? "sha256:" + hash[..12] : "none";

    private static string[] Lines(JsonElement? definition) =>
        definition is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } d
            ? JsonSerializer.Serialize(d, Indented).Split('\n').Select(l => l.TrimEnd('\r')).ToArray()
            : [];
}
