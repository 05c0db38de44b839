using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary>
/// Where a turn being watched goes: its events as lines a person reads, or with <c>--json</c> as JSON Lines; prose
/// (hints, notes) on stdout, or on stderr with <c>--json</c>, so stdout holds JSON only.
/// </summary>
internal sealed class TurnOutput(CliIo io, bool json)
{
    public bool Json => json;

    public IAnsiConsole Prose => json ? io.Error : io.Out;

    public void Event(TurnEvent e)
    {
        if (json)
        {
            JsonOutput.Event(io.Out, e);
            return;
        }

        TurnEventView.Render(io.Out, io.Error, e);
    }

    /// <summary>The conversation a chat talks in: a line of prose, or with <c>--json</c> the first JSON line (<c>"type": "conversation"</c>).</summary>
    public void Conversation(string id, bool created)
    {
        if (json)
        {
            JsonOutput.Lines(io.Out, new { type = "conversation", conversationId = id, created });
            return;
        }

        io.Out.MarkupLine($"[grey]conversation[/] [bold]{Markup.Escape(id)}[/]{(created ? " [grey](new)[/]" : "")}");
    }

    /// <summary>Ends a line the event view left open (Ctrl+C mid-turn); nothing with <c>--json</c>, whose lines are whole.</summary>
    public void EndLine()
    {
        if (!json)
        {
            io.Out.WriteLine();
        }
    }
}
