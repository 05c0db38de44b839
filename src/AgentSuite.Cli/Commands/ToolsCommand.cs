using System.CommandLine;
using System.Text.Json;
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
        examples.Add(command, "agentsuite tools diff billing/issue_refund", "agentsuite tools approve billing/issue_refund --hash 3f9a1c0b...");
        return command;
    }

    private static Command Diff(CommandRunner runner, HelpExamples examples)
    {
        var tool = ToolArgument();
        var command = new Command("diff", "The approved and the latest seen definition of a tool, as a line diff") { tool };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            await ShowAsync(runner, api, parse, Tool(parse.GetValue(tool)), cancellationToken);
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite tools diff billing/issue_refund", "agentsuite tools diff billing/issue_refund --json | jq -r .observedHash");
        return command;
    }

    private static Command Approve(CommandRunner runner, HelpExamples examples)
    {
        var tool = ToolArgument();
        var hash = new Option<string?>("--hash") { Description = "The sha256 of the definition reviewed, as 'agentsuite tools diff' prints it; if the tool now serves another, the Api refuses" };
        var command = new Command("approve", "Approve exactly the definition reviewed with 'agentsuite tools diff' (--hash), so the tool runs again") { tool, hash };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            var name = Tool(parse.GetValue(tool));
            if (parse.GetValue(hash) is not { } reviewed)
            {
                // Never approve whatever happens to be served now: show it, and ask for the hash of what was reviewed.
                await ShowAsync(runner, api, parse, name, cancellationToken);
                throw new UsageException($"Nothing approved: review the diff above, then approve exactly that definition with --hash (agentsuite tools approve {name} --hash <the sha256 it prints>).");
            }

            // The Api approves only this hash: a definition that changed since it was reviewed is refused (409).
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.ApproveToolAsync<JsonElement>(name, Hash(reviewed), cancellationToken));
                return ExitCodes.Ok;
            }

            ToolPinApproval pin = await api.ApproveToolAsync(name, Hash(reviewed), cancellationToken);
            runner.Io.Out.MarkupLine($"[green]approved[/] {Display.Escape(pin.Tool)} [grey](sha256:{Display.Escape(pin.PinnedHash)}, by {Display.Escape(pin.ApprovedBy)})[/]");
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite tools approve billing/issue_refund --hash 3f9a1c0b...");
        return command;
    }

    /// <summary>The tool's definitions: the diff, or with <c>--json</c> the Api's answer (pinned, observed, both hashes).</summary>
    private static async Task ShowAsync(CommandRunner runner, ApiClient api, ParseResult parse, string tool, CancellationToken cancellationToken)
    {
        if (runner.Json(parse))
        {
            runner.WriteJson(await api.GetToolDefinitionsAsync<JsonElement>(tool, cancellationToken));
            return;
        }

        ToolDiffView.Render(runner.Io.Out, await api.GetToolDefinitionsAsync(tool, cancellationToken));
    }

    private static Argument<string> ToolArgument() => new("SERVER/NAME") { Description = "The tool, as 'agentsuite status' lists it, e.g. billing/issue_refund" };

    private static string Hash(string text)
    {
        var hash = text.Trim();
        hash = hash.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? hash["sha256:".Length..] : hash;
        return hash.Length == 64 && hash.All(char.IsAsciiHexDigit)
            ? hash.ToLowerInvariant()
            : throw new UsageException($"--hash '{text}' is not a sha256 (64 hex digits); copy it from 'agentsuite tools diff'.");
    }

    private static string Tool(string? text)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && slash < text!.Length - 1
            ? text
            : throw new UsageException($"'{text}' is not a tool; name it as SERVER/NAME, e.g. billing/issue_refund ('agentsuite status' lists them).");
    }
}
