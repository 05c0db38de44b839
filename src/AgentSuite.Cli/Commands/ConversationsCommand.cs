using System.CommandLine;
using AgentSuite.Cli.Api;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite conversations follow ID [--after SEQ]</c>.</summary>
internal static class ConversationsCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples, Func<ParseResult, int> showHelp)
    {
        var command = new Command("conversations", "A conversation's turns, for whoever comes back to one (owner or admin)")
        {
            Follow(runner, examples),
        };
        command.SetAction(showHelp);
        examples.Add(command, "agentsuite conversations follow conv_0123abcd");
        return command;
    }

    private static Command Follow(CommandRunner runner, HelpExamples examples)
    {
        var id = new Argument<string>("ID") { Description = "The conversation's id (conv_...), as 'chat' printed it" };
        var after = new Option<long>("--after")
        {
            Description = "Print only the events after this number (the last one you saw); all of them when left out",
        };
        var command = new Command("follow",
            "Print the latest turn's events and follow it until it ends, re-attaching if the Api restarts: 0 when it completed, 1 when it failed or was abandoned")
        {
            id,
            after,
        };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var conversationId = parse.GetValue(id)!;
            var turn = (await api.GetConversationAsync(conversationId, cancellationToken)).Turn;
            if (turn is null)
            {
                runner.Io.Out.MarkupLine($"[grey]Conversation {Markup.Escape(conversationId)} has no turn yet; start one with:[/] agentsuite chat --conversation {Markup.Escape(conversationId)}");
                return ExitCodes.Ok;
            }

            var waiting = turn.Status == "waiting" ? $", waiting for approval {turn.ApprovalId}" : "";
            runner.Io.Out.MarkupLine($"[grey]conversation[/] [bold]{Markup.Escape(conversationId)}[/] [grey]turn {Markup.Escape(turn.RunId)} ({Markup.Escape(turn.Status + waiting)})[/]");
            var end = await new TurnFollower(runner.Io, api).FollowAsync(conversationId, parse.GetValue(after), cancellationToken);
            return end == TurnEnd.Completed ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        examples.Add(command,
            "agentsuite conversations follow conv_0123abcd            # the whole trail, then live until the turn ends",
            "agentsuite conversations follow conv_0123abcd --after 12 # only what came after event 12");
        return command;
    }
}
