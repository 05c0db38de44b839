using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>Approvals as a table: what is asked, by whom, why, and (once decided) who decided.</summary>
public static class ApprovalTable
{
    public static void Render(IAnsiConsole console, IReadOnlyList<Approval> approvals, string status)
    {
        if (approvals.Count == 0)
        {
            console.MarkupLine(status == "all" ? "[grey]No approvals.[/]" : $"[grey]No {Escape(status.Replace('_', ' '))} approvals.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("ID", "Status", "Agent", "Tool", "Arguments", "Requested by", "Requested", "Reason", "Decided by");
        foreach (var a in approvals)
        {
            var decided = a.DecidedBy is null ? "" : $"{Escape(a.DecidedBy)} {Time(a.DecidedAt)}"
                + (string.IsNullOrEmpty(a.Comment) ? "" : $" [grey]\"{Escape(a.Comment)}\"[/]");
            table.AddRow(
                Escape(a.Id),
                $"[{Colour(a.Status)}]{Escape(a.Status)}[/]",
                Escape(a.Agent),
                Escape(a.Tool),
                Escape(Display.Json(a.Arguments)),
                Escape(a.RequestedBy),
                Time(a.RequestedAt),
                Escape(a.Reason),
                decided);
        }

        console.Write(table);
        foreach (var a in approvals)
        {
            ApprovalContext.Render(console, a);
        }
    }
}
