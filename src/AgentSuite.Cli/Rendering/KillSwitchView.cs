using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>The engaged kill switches, or a line saying none is.</summary>
public static class KillSwitchView
{
    public static void Render(IAnsiConsole console, KillSwitchState state)
    {
        var engaged = state.Engaged ?? [];
        if (engaged.Count == 0)
        {
            console.MarkupLine("[green]No kill switch is engaged.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Engaged scope", "Source");
        foreach (var s in engaged)
        {
            table.AddRow($"[red]{Escape(s.Scope)}[/]", Escape(s.Source));
        }

        console.Write(table);
    }
}
