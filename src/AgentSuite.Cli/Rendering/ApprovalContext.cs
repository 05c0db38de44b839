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
        var path = a.AgentPath is { Count: > 0 } agents ? string.Join(" → ", agents) : a.Agent ?? "";
        console.MarkupLine($"{Escape(a.Id)}  [grey]agents[/] {Escape(path)}  [grey]conversation[/] {Escape(a.Links?.Conversation ?? a.ConversationId)}");
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
