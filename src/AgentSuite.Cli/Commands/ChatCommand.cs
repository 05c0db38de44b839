using System.CommandLine;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite chat [--conversation ID] [--message TEXT]</c>.</summary>
internal static class ChatCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples)
    {
        var conversation = new Option<string?>("--conversation", "-c")
        {
            Description = "Continue this conversation instead of starting a new one; a turn still under way in it is shown and followed to its end first",
        };
        var message = new Option<string?>("--message", "-m")
        {
            Description = "Send this one message, print the turn as it happens, and exit: 0 when the turn completes, 1 when it fails",
        };
        var command = new Command("chat", "Chat with the coordinator; each turn's agents, tool calls, governance decisions and approvals stream as they happen")
        {
            conversation,
            message,
        };
        command.SetAction(runner.WithApi((api, parse, cancellationToken) =>
            new ChatSession(runner.Io, api, runner.Turns(parse)).RunAsync(parse.GetValue(conversation), parse.GetValue(message), cancellationToken)));
        examples.Add(command,
            "agentsuite chat                                   # interactive; an empty line, /exit or Ctrl+C quits",
            "agentsuite chat -m \"I was charged twice on INV-1002, please refund it\"",
            "agentsuite --user alice chat -m \"I was charged twice on INV-1006, please refund it\"",
            "agentsuite chat --conversation conv_0123abcd -m \"Thanks, anything else?\"",
            "agentsuite chat --conversation conv_0123abcd       # a turn under way is followed first, then you type",
            "agentsuite --json chat -m \"I was charged twice on INV-1002, please refund it\"   # JSON Lines: the conversation, then each event");
        return command;
    }
}
