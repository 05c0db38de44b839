using System.CommandLine;
using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite tools diff|approve SERVER/NAME</c>: review a tool whose definition changed, and re-approve it.</summary>
internal static class ToolsCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples, Func<ParseResult, int> showHelp)
    {
        var command = new Command("tools", "Tool pins: review a changed tool definition and re-approve it (role admin)")
        {
            Diff(runner, examples),
            Approve(runner, examples),
        };
        command.SetAction(showHelp);
        examples.Add(command, "agentsuite tools diff billing/issue_refund", "agentsuite tools approve billing/issue_refund");
        return command;
    }

    private static Command Diff(CommandRunner runner, HelpExamples examples)
    {
        var tool = ToolArgument();
        var command = new Command("diff", "The approved and the latest seen definition of a tool, as a line diff") { tool };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            ToolDiffView.Render(runner.Io.Out, await api.GetToolDefinitionsAsync(Tool(parse.GetValue(tool)), cancellationToken));
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite tools diff billing/issue_refund");
        return command;
    }

    private static Command Approve(CommandRunner runner, HelpExamples examples)
    {
        var tool = ToolArgument();
        var command = new Command("approve", "Approve the definition a tool serves now (the one 'tools diff' shows as new), so it runs again") { tool };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var name = Tool(parse.GetValue(tool));

            // Approve exactly the definition reviewed: if it changes again in between, the Api refuses (409).
            var seen = await api.GetToolDefinitionsAsync(name, cancellationToken);
            ToolPinApproval pin = await api.ApproveToolAsync(name, seen.ObservedHash, cancellationToken);
            runner.Io.Out.MarkupLine($"[green]approved[/] {Display.Escape(pin.Tool)} [grey](sha256:{Display.Escape(pin.PinnedHash?[..Math.Min(12, pin.PinnedHash.Length)])}, by {Display.Escape(pin.ApprovedBy)})[/]");
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite tools approve billing/issue_refund");
        return command;
    }

    private static Argument<string> ToolArgument() => new("SERVER/NAME") { Description = "The tool, as 'agentsuite status' lists it, e.g. billing/issue_refund" };

    private static string Tool(string? text)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && slash < text!.Length - 1
            ? text
            : throw new UsageException($"'{text}' is not a tool; name it as SERVER/NAME, e.g. billing/issue_refund ('agentsuite status' lists them).");
    }
}
