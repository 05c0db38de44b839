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
    public static void Render(IAnsiConsole console, string conversationId, IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            console.MarkupLine($"[grey]No audit entries for conversation {Escape(conversationId)}.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Audit trail of {Escape(conversationId)}")
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
    }

    private static string Who(AuditRecord r) => (r.Agent, r.Tool) switch
    {
        (null, null) => "",
        (_, null) => r.Agent!,
        (null, _) => r.Tool!,
        _ => $"{r.Agent} → {r.Tool}",
    };
}
