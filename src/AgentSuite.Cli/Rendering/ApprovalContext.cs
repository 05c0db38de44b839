using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// What led to an approval, under its id: the agent path, the customer's request, the conversation's link, and a
/// warning (the API's message) when approving would only replay a call that already completed.
/// </summary>
public static class ApprovalContext
{
    public static void Render(IAnsiConsole console, Approval a)
    {
        Whole(console, a.Id);
        Path(console, a);
        Details(console, a);
    }

    /// <summary>The rest of a line: the agents it came through, and the conversation's link written whole.</summary>
    public static void Path(IAnsiConsole console, Approval a)
    {
        var path = a.AgentPath is { Count: > 0 } agents ? string.Join(" → ", agents) : a.Agent ?? "";
        console.Markup($"  [grey]agents[/] {Escape(path)}  [grey]conversation[/] ");
        Whole(console, a.Links?.Conversation ?? a.ConversationId);
        console.WriteLine();
    }

    /// <summary>The lines under the id: the customer's request and the replay warning, each indented.</summary>
    public static void Details(IAnsiConsole console, Approval a)
    {
        if (!string.IsNullOrEmpty(a.Request))
        {
            console.MarkupLine($"  [grey]customer asked:[/] \"{Escape(a.Request)}\"");
        }

        if (a.Replay is { } replay)
        {
            // The API's own words: it knows the key, when it completed, and what approving will do.
            console.MarkupLine($"  [yellow]{Escape(replay.Message ?? (replay.SameArguments ? "Will be replayed, not executed." : "Will be refused, not executed."))}[/]");
        }
    }
}
