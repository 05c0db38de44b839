using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>
/// Prints a turn's events as they arrive, one line each, indented by hand-off depth so a specialist's work sits
/// under the hand-off that started it. A failure's detail meant for the developer (the reason of a turn that still
/// answered the customer, or of a failed hand-off) goes to <c>details</c> (stderr), so stdout reads as the conversation.
/// </summary>
public static class TurnEventView
{
    public static void Render(IAnsiConsole console, IAnsiConsole details, TurnEvent e)
    {
        var pad = HandOffDepth.Indent(HandOffDepth.Of(e.ToolCallId));
        var tool = $"[bold]{Escape(e.Tool)}[/]";
        var because = string.IsNullOrEmpty(e.Reason) ? "" : $": {Escape(e.Reason)}";
        switch (e.Type)
        {
            case TurnEventTypes.AgentStarted:
                console.MarkupLine($"{pad}[blue]{Escape(e.Agent)}[/] [grey]is working[/]");
                break;
            case TurnEventTypes.ToolRequested:
                console.MarkupLine($"{pad}[grey]{Escape(e.Agent)} asks for[/] {tool} [grey]({Escape(e.ToolCallId)})[/]");
                break;
            case TurnEventTypes.ToolDecision:
                console.MarkupLine($"{pad}[{Colour(e.Decision)}]{Escape(e.Decision ?? "decided")}[/] {tool}{because}");
                break;
            case TurnEventTypes.ApprovalPending:
                console.MarkupLine($"{pad}[yellow]waiting for approval[/] {tool}{because}");
                // The command on a line of its own, written whole whatever the terminal's width, to copy and run.
                console.MarkupLine($"{pad}  [grey]someone else approves it with:[/]");
                PlainLine(console, $"{pad}  agentsuite approvals approve {e.ApprovalId}");
                break;
            case TurnEventTypes.ApprovalResolved:
                console.MarkupLine($"{pad}[{Colour(e.Decision)}]approval {Escape(e.Decision ?? "resolved")}[/] {tool}{because}");
                break;
            case TurnEventTypes.ToolCompleted when e.Decision == "replayed":
                console.MarkupLine($"{pad}[green]replayed[/] {tool} [grey](the stored result of an earlier identical call; not run again)[/]");
                break;
            case TurnEventTypes.ToolCompleted:
                console.MarkupLine($"{pad}[green]completed[/] {tool}");
                break;
            case TurnEventTypes.ToolFailed when HandOffDepth.IsHandOff(e.Tool):
                // A specialist that failed (its model had no answer, say): the reason is the developer's, not the customer's.
                console.MarkupLine($"{pad}[red]failed[/] {tool}");
                ForTheDeveloper(details, pad, e.Reason);
                break;
            case TurnEventTypes.ToolFailed:
                console.MarkupLine($"{pad}[red]failed[/] {tool}{because}");
                break;
            case TurnEventTypes.MessageCompleted:
                // The root agent's message is the reply, printed once by turn.completed.
                if (HandOffDepth.Of(e.ToolCallId) > 0)
                {
                    console.MarkupLine($"{pad}[grey]{Escape(e.Agent)} answered:[/] {Escape(e.Text ?? e.Reason)}");
                }

                break;
            case TurnEventTypes.MessageDelta:
                break;
            case TurnEventTypes.TurnCompleted:
                console.WriteLine();
                console.MarkupLine($"[bold blue]{Escape(e.Agent ?? "agent")}>[/] {Escape(e.Text ?? e.Reason)}");
                break;
            case TurnEventTypes.TurnFailed:
                // A turn can fail with a reply the customer was given (the demo model's honest answer): stdout shows that
                // sentence only; the detail is the developer's.
                if (!string.IsNullOrEmpty(e.Text))
                {
                    console.WriteLine();
                    console.MarkupLine($"[bold blue]{Escape(e.Agent ?? "agent")}>[/] {Escape(e.Text)}");
                    details.MarkupLine("[red]The turn failed.[/]");
                    ForTheDeveloper(details, "", e.Reason);
                    break;
                }

                console.MarkupLine($"[red]The turn failed{because}[/]");
                break;
            case TurnEventTypes.TurnResumed:
                console.MarkupLine($"[yellow]The Api restarted; the turn was resumed[/]{(string.IsNullOrEmpty(e.Reason) ? "" : $" [grey]({Escape(e.Reason)})[/]")}");
                break;
            default:
                // A type this CLI does not know yet: show what it carries rather than drop it.
                console.MarkupLine($"{pad}[grey]{Escape(e.Type)}[/] {Escape(e.Agent)} {tool} {Escape(e.Decision)}{because}");
                break;
        }
    }

    private static void ForTheDeveloper(IAnsiConsole details, string pad, string? detail)
    {
        if (!string.IsNullOrEmpty(detail))
        {
            details.MarkupLine($"{pad}[dim]details for the developer: {Escape(detail)}[/]");
        }
    }
}
