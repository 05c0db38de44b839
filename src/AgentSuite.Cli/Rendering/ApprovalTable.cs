using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// Approvals as a table: what is asked, by whom, why, and (once decided) who decided. A terminal too narrow for the
/// table (a word or an id would be cut) gets one block per approval instead, each starting with its id.
/// </summary>
public static class ApprovalTable
{
    public static void Render(IAnsiConsole console, IReadOnlyList<Approval> approvals, string status)
    {
        if (approvals.Count == 0)
        {
            console.MarkupLine(status == "all" ? "[grey]No approvals.[/]" : $"[grey]No {Escape(status.Replace('_', ' '))} approvals.[/]");
            return;
        }

        var table = AsTable(approvals);
        if (!Fits(console, table, approvals.Select(a => a.Id)))
        {
            foreach (var a in approvals)
            {
                Block(console, a);
            }

            return;
        }

        console.Write(table);
        foreach (var a in approvals)
        {
            ApprovalContext.Render(console, a);
        }
    }

    private static Table AsTable(IReadOnlyList<Approval> approvals)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(Unwrapped("ID"))
            .AddColumns("Status", "Agent", "Tool", "Arguments", "Requested by", "Requested", "Reason", "Decided by");
        foreach (var a in approvals)
        {
            table.AddRow(
                Escape(a.Id),
                $"[{Colour(a.Status)}]{Escape(a.Status)}[/]",
                Escape(a.Agent),
                Escape(a.Tool),
                Escape(Display.Json(a.Arguments)),
                Escape(a.RequestedBy),
                Time(a.RequestedAt),
                Escape(a.Reason),
                Decided(a));
        }

        return table;
    }

    private static void Block(IAnsiConsole console, Approval a)
    {
        LineWithId(console, "", a.Id, $"  [{Colour(a.Status)}]{Escape(a.Status)}[/]");
        console.MarkupLine($"  {Escape(a.Agent)} [bold]{Escape(a.Tool)}[/] {Escape(Display.Json(a.Arguments))}");
        console.MarkupLine($"  [grey]requested by[/] {Escape(a.RequestedBy)} {Time(a.RequestedAt)}: {Escape(a.Reason)}");
        if (a.DecidedBy is not null)
        {
            console.MarkupLine($"  [grey]decided by[/] {Decided(a)}");
        }

        ApprovalContext.Path(console, a);
        ApprovalContext.Details(console, a);
    }

    private static string Decided(Approval a) => a.DecidedBy is null ? "" : $"{Escape(a.DecidedBy)} {Time(a.DecidedAt)}"
        + (string.IsNullOrEmpty(a.Comment) ? "" : $" [grey]\"{Escape(a.Comment)}\"[/]");
}
