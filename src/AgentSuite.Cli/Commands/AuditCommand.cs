using System.CommandLine;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite audit show|verify|anchor</c>.</summary>
internal static class AuditCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples, Func<ParseResult, int> showHelp)
    {
        var command = new Command("audit", "The tamper-evident audit trail (role admin)")
        {
            Show(runner, examples),
            Verify(runner, examples),
            Anchor(runner, examples),
        };
        command.SetAction(showHelp);
        examples.Add(command, "agentsuite audit show conv_0123abcd", "agentsuite audit verify", "agentsuite audit anchor > anchor.json");
        return command;
    }

    private static Command Show(CommandRunner runner, HelpExamples examples)
    {
        var conversation = new Argument<string>("CONVERSATION_ID") { Description = "The conversation (conv_...), as 'chat' prints it" };
        var command = new Command("show", "A conversation's audit trail, indented by hand-off (coordinator → specialist → tool)") { conversation };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var id = parse.GetValue(conversation)!;
            AuditTable.Render(runner.Io.Out, id, await api.GetAuditAsync(id, cancellationToken));
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite audit show conv_0123abcd");
        return command;
    }

    private static Command Verify(CommandRunner runner, HelpExamples examples)
    {
        var command = new Command("verify", "Walk the whole hash chain and compare it with its signed anchor; exit code 1 when an entry was edited, deleted, moved or inserted, or the tail is missing");
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var result = await api.VerifyAuditAsync(cancellationToken);
            if (result.Ok)
            {
                var anchor = result.Anchor is { Status: "matches" } a ? $"; it matches the anchor signed at {Markup.Escape(a.At ?? "?")} ({a.Count} entries)" : "";
                runner.Io.Out.MarkupLine($"[green]The audit chain verifies:[/] {result.Count} entries, head hash {Markup.Escape(result.HeadHash ?? "(none)")}{anchor}");
                return ExitCodes.Ok;
            }

            var where = result.FirstBadSeq is { } seq ? $" at seq {seq}" : "";
            ErrorView.Message(runner.Io.Error, $"The audit chain does NOT verify{where}: {result.Problem ?? "no reason given"} ({result.Count} entries checked).");
            return ExitCodes.Failed;
        }));
        examples.Add(command, "agentsuite audit verify && echo intact");
        return command;
    }

    private static Command Anchor(CommandRunner runner, HelpExamples examples)
    {
        var command = new Command("anchor", "Print the signed anchor of the audit chain's head as JSON, to keep it somewhere the database's writers cannot change");
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            // Raw text, not markup: the JSON is meant for a file or another program, unwrapped and unstyled.
            runner.Io.Out.Profile.Out.Writer.WriteLine(await api.GetAuditAnchorJsonAsync(cancellationToken));
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite audit anchor > audit-anchor-$(date +%F).json");
        return command;
    }
}
