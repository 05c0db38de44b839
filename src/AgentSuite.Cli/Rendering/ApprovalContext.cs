using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// What led to an approval, under its id: the agent path, the customer's request, the conversation's link, and a
/// warning when approving would only replay a call that already completed.
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
            var verb = replay.SameArguments ? "will be replayed, not executed" : "will be refused, not executed";
            var when = replay.CompletedAt is { } at ? $" at {Time(at)}" : "";
            console.MarkupLine($"  [yellow]{verb}: already completed{Escape(when)}[/]"
                + (replay.SameArguments ? " [grey](approving returns the stored result; the tool does not run again)[/]" : " [grey](with different arguments)[/]"));
        }
    }
}
