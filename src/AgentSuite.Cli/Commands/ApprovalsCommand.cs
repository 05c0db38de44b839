using System.CommandLine;
using System.Text.Json;
using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite approvals list|approve|deny</c>, each with the approval's context (request, agents, conversation, replay).</summary>
internal static class ApprovalsCommand
{
    private static readonly string[] Statuses = ["pending", "approved", "denied", "timed_out", "all"];

    public static Command Create(CommandRunner runner, HelpExamples examples, Func<ParseResult, int> showHelp)
    {
        var command = new Command("approvals", "Tool calls waiting for a person, and the decisions on them (role approver)")
        {
            List(runner, examples),
            Decide("approve", approve: true, runner, examples),
            Decide("deny", approve: false, runner, examples),
        };
        command.SetAction(showHelp);
        examples.Add(command, "agentsuite approvals list", "agentsuite --user bob approvals approve apr_0123abcd --comment \"duplicate confirmed\"");
        return command;
    }

    private static Command List(CommandRunner runner, HelpExamples examples)
    {
        var status = new Option<string>("--status", "-s")
        {
            Description = "Which approvals to list",
            DefaultValueFactory = _ => "pending",
        };
        status.AcceptOnlyFromAmong(Statuses);
        var command = new Command("list", "List approvals: what is asked, by whom, why") { status };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var which = parse.GetValue(status)!;
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.ListApprovalsAsync<JsonElement>(which, cancellationToken));
                return ExitCodes.Ok;
            }

            ApprovalTable.Render(runner.Io.Out, await api.ListApprovalsAsync(which, cancellationToken), which);
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite approvals list", "agentsuite approvals list --status all", "agentsuite approvals list --json | jq -r '.[].id'");
        return command;
    }

    private static Command Decide(string name, bool approve, CommandRunner runner, HelpExamples examples)
    {
        var id = new Argument<string>("ID") { Description = "The approval's id (apr_...), from 'agentsuite chat' or 'agentsuite approvals list'" };
        var comment = new Option<string?>("--comment") { Description = "Why; kept with the decision and in the audit trail" };
        var command = new Command(name, approve
            ? "Approve a pending tool call; the waiting turn goes on and runs it (you cannot approve your own request)"
            : "Deny a pending tool call; the waiting turn goes on without it")
        {
            id,
            comment,
        };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.DecideAsync<JsonElement>(parse.GetValue(id)!, approve, parse.GetValue(comment), cancellationToken));
                return ExitCodes.Ok;
            }

            var approval = await api.DecideAsync(parse.GetValue(id)!, approve, parse.GetValue(comment), cancellationToken);
            Report(runner.Io.Out, approval);
            return ExitCodes.Ok;
        }));
        examples.Add(command, $"agentsuite approvals {name} apr_0123abcd --comment \"{(approve ? "duplicate confirmed" : "not a duplicate")}\"");
        return command;
    }

    private static void Report(IAnsiConsole console, Approval a)
    {
        var status = a.Status ?? "decided";
        var what = string.Join(" ", new[] { a.Agent, a.Tool }.Where(s => !string.IsNullOrEmpty(s)));
        Display.LineWithId(console, $"[{Display.Colour(status)}]{Markup.Escape(status)}[/] ", a.Id, $" [grey]({Markup.Escape(what)}, requested by {Display.Escape(a.RequestedBy)})[/]");
        ApprovalContext.Render(console, a);
    }
}
