using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// A page of conversations as a table: who, when, how many messages, where the latest turn stands; then how to get
/// the next page. A terminal too narrow for the table (a word or an id would be cut) gets one block per conversation instead.
/// </summary>
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
            .AddColumn(Unwrapped("ID"))
            .AddColumns("Created by", "Created", "Messages", "Last message", "Turn")
            .AddColumn(Unwrapped("Approval"))
            .AddColumn("Turn ended");
        foreach (var c in page.Items)
        {
            table.AddRow(
                Escape(c.Id),
                Escape(c.CreatedBy),
                Time(c.CreatedAt),
                c.MessageCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Time(c.LastMessageAt),
                Status(c),
                Escape(c.Turn?.ApprovalId),
                Time(c.Turn?.EndedAt));
        }

        if (Fits(console, table, page.Items.SelectMany(c => new[] { c.Id, c.Turn?.ApprovalId })))
        {
            console.Write(table);
        }
        else
        {
            foreach (var c in page.Items)
            {
                Block(console, c);
            }
        }

        if (nextPageCommand is not null)
        {
            console.MarkupLine($"[grey]More on the next page:[/] {Escape(nextPageCommand)}");
        }
    }

    private static void Block(IAnsiConsole console, ConversationSummary c)
    {
        LineWithId(console, "", c.Id, $"  {Status(c)}");
        console.MarkupLine($"  [grey]created by[/] {Escape(c.CreatedBy)} {Time(c.CreatedAt)}[grey], {c.MessageCount} messages, the last[/] {Time(c.LastMessageAt)}");
        if (c.Turn?.ApprovalId is { Length: > 0 } approval)
        {
            LineWithId(console, "  [grey]approval[/] ", approval, "");
        }

        if (c.Turn?.EndedAt is not null)
        {
            console.MarkupLine($"  [grey]turn ended[/] {Time(c.Turn.EndedAt)}");
        }
    }

    private static string Status(ConversationSummary c)
    {
        var status = c.Turn?.Status ?? "none";
        return $"[{Colour(status)}]{Escape(status)}[/]";
    }
}
