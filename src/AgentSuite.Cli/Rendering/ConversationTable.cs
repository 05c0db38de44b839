using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>A page of conversations as a table: who, when, how many messages, where the latest turn stands; then how to get the next page.</summary>
public static class ConversationTable
{
    public static void Render(IAnsiConsole console, ConversationPage page, string? nextPageCommand)
    {
        if (page.Items.Count == 0)
        {
            console.MarkupLine("[grey]No conversations.[/]");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("ID", "Created by", "Created", "Messages", "Last message", "Turn", "Approval", "Turn ended");
        foreach (var c in page.Items)
        {
            var status = c.Turn?.Status ?? "none";
            table.AddRow(
                Escape(c.Id),
                Escape(c.CreatedBy),
                Time(c.CreatedAt),
                c.MessageCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Time(c.LastMessageAt),
                $"[{Colour(status)}]{Escape(status)}[/]",
                Escape(c.Turn?.ApprovalId),
                Time(c.Turn?.EndedAt));
        }

        console.Write(table);
        if (nextPageCommand is not null)
        {
            console.MarkupLine($"[grey]More on the next page:[/] {Escape(nextPageCommand)}");
        }
    }
}
