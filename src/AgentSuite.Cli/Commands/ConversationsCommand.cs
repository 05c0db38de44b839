using System.CommandLine;
using System.Text.Json;
using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite conversations list [filters]</c> and <c>agentsuite conversations follow ID [--after SEQ]</c>.</summary>
internal static class ConversationsCommand
{
    private static readonly string[] Statuses = ["running", "waiting", "completed", "failed", "abandoned", "none"];

    public static Command Create(CommandRunner runner, HelpExamples examples, Func<ParseResult, int> showHelp)
    {
        var command = new Command("conversations", "Find conversations, and follow one's turns (your own; an admin's, anyone's)")
        {
            List(runner, examples),
            Follow(runner, examples),
        };
        command.SetAction(showHelp);
        examples.Add(command, "agentsuite conversations list --status waiting", "agentsuite conversations follow conv_0123abcd");
        return command;
    }

    private static Command List(CommandRunner runner, HelpExamples examples)
    {
        var user = new Option<string?>("--created-by") { Description = "Only conversations this user started (an admin may name anyone; a user only themselves)" };
        var status = new Option<string?>("--status", "-s") { Description = "Only those whose latest turn is in this state (none: no message yet)" };
        status.AcceptOnlyFromAmong(Statuses);
        var from = new Option<string?>("--from") { Description = "Only those started at or after this ISO 8601 date or instant (2026-12-01, 2026-12-01T09:30:00Z)" };
        var to = new Option<string?>("--to") { Description = "Only those started before this ISO 8601 date or instant" };
        var limit = new Option<int?>("--limit", "-n") { Description = "How many to print, 1 to 200 [default: 50]" };
        var after = new Option<string?>("--after") { Description = "Start after this conversation id: the next page, as the previous one said" };
        var command = new Command("list", "List conversations, newest first: who started each, its messages, and where its latest turn stands")
        {
            user,
            status,
            from,
            to,
            limit,
            after,
        };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var filter = new ConversationFilter
            {
                User = parse.GetValue(user),
                Status = parse.GetValue(status),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Limit = parse.GetValue(limit),
                AfterId = parse.GetValue(after),
            };
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.ListConversationsAsync<JsonElement>(filter, cancellationToken));
                return ExitCodes.Ok;
            }

            var page = await api.ListConversationsAsync(filter, cancellationToken);
            ConversationTable.Render(runner.Io.Out, page, page.NextAfterId is { } next ? NextPage(filter with { AfterId = next }) : null);
            return ExitCodes.Ok;
        }));
        examples.Add(command,
            "agentsuite conversations list                                       # yours (an admin: everyone's), newest first",
            "agentsuite conversations list --status waiting                      # those waiting for an approval",
            "agentsuite conversations list --created-by alice --from 2026-12-01  # an admin: one user's since a date",
            "agentsuite conversations list --json                                # the Api's page: items and nextAfterId");
        return command;
    }

    /// <summary>The command line that prints the page after this one, with the same filters.</summary>
    private static string NextPage(ConversationFilter f) =>
        string.Join(" ", new (string Option, string? Value)[]
            {
                ("--created-by", f.User), ("--status", f.Status), ("--from", f.From), ("--to", f.To),
                ("--limit", f.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("--after", f.AfterId),
            }
            .Where(o => o.Value is not null)
            .Select(o => $"{o.Option} {o.Value}")
            .Prepend("agentsuite conversations list"));

    private static Command Follow(CommandRunner runner, HelpExamples examples)
    {
        var id = new Argument<string>("ID") { Description = "The conversation's id (conv_...), as 'agentsuite chat' printed it" };
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
            var output = runner.Turns(parse);
            var turn = (await api.GetConversationAsync(conversationId, cancellationToken)).Turn;
            if (turn is null)
            {
                output.Prose.MarkupLine($"[grey]Conversation {Markup.Escape(conversationId)} has no turn yet; start one with:[/] agentsuite chat --conversation {Markup.Escape(conversationId)}");
                return ExitCodes.Ok;
            }

            var heading = $"[grey]conversation[/] [bold]{Markup.Escape(conversationId)}[/] [grey]turn {Markup.Escape(turn.RunId)} ({Markup.Escape(turn.Status)}";
            if (turn.Status == "waiting")
            {
                Display.LineWithId(output.Prose, heading + ", waiting for approval[/] ", turn.ApprovalId, "[grey])[/]");
            }
            else
            {
                output.Prose.MarkupLine(heading + ")[/]");
            }

            var end = await new TurnFollower(runner.Io, api, output).FollowAsync(conversationId, parse.GetValue(after), cancellationToken);
            return end == TurnEnd.Completed ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        examples.Add(command,
            "agentsuite conversations follow conv_0123abcd            # the whole trail, then live until the turn ends",
            "agentsuite conversations follow conv_0123abcd --after 12 # only what came after event 12",
            "agentsuite conversations follow conv_0123abcd --json     # each event as a JSON line");
        return command;
    }
}
