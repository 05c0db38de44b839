using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// A conversation's audit trail as a table, the "agent → tool" column indented by hand-off depth so the tree
/// coordinator → specialist → tool reads from the layout.
/// </summary>
public static class AuditTable
{
    public static void Render(IAnsiConsole console, string conversationId, IReadOnlyList<AuditRecord> records) =>
        Render(console, $"Audit trail of {conversationId}", $"No audit entries for conversation {conversationId}.", records);

    public static void Render(IAnsiConsole console, string title, string none, IReadOnlyList<AuditRecord> records, string? more = null)
    {
        if (records.Count == 0)
        {
            console.MarkupLine($"[grey]{Escape(none)}[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title(Escape(title))
            .AddColumns("Seq", "At", "Kind", "Agent → tool", "Call", "Decision", "Reason", "Principal");
        foreach (var r in records)
        {
            table.AddRow(
                r.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Time(r.At),
                Escape(r.Kind),
                Escape(HandOffDepth.Indent(HandOffDepth.Of(r.ToolCallId) - 1) + Who(r)),
                Escape(r.ToolCallId),
                $"[{Colour(r.Decision)}]{Escape(r.Decision)}[/]",
                Escape(r.Reason),
                Escape(r.Principal));
        }

        console.Write(table);
        console.MarkupLine($"[grey]{records.Count} entries. Check the whole chain with:[/] agentsuite audit verify");
        if (more is not null)
        {
            console.MarkupLine($"[grey]More match; the next page:[/] {Escape(more)}");
        }
    }

    private static string Who(AuditRecord r) => (r.Agent, r.Tool) switch
    {
        (null, null) => "",
        (_, null) => r.Agent!,
        (null, _) => r.Tool!,
        _ => $"{r.Agent} → {r.Tool}",
    };
}
