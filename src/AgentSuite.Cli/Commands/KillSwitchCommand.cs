using System.CommandLine;
using System.Text.Json;
using AgentSuite.Cli.Rendering;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite kill-switch [list] | engage SCOPE | release SCOPE</c>.</summary>
internal static class KillSwitchCommand
{
    private const string ScopeForms = "'global', 'agent:NAME', 'server:NAME', 'tool:SERVER/TOOL' or 'principal:NAME' (one caller, a person or an external agent, by its name or token subject)";

    public static Command Create(CommandRunner runner, HelpExamples examples)
    {
        var command = new Command("kill-switch", "Stop tool calls at once: everywhere, for one agent, one server, one tool or one caller (role admin)")
        {
            List(runner, examples),
            Set("engage", engaged: true, runner, examples),
            Set("release", engaged: false, runner, examples),
        };
        command.SetAction(runner.WithApi(ListAsync(runner)));
        examples.Add(command,
            "agentsuite kill-switch",
            "agentsuite kill-switch engage global",
            "agentsuite kill-switch engage agent:billing --reason \"refunds look wrong\"",
            "agentsuite kill-switch release tool:billing/issue_refund",
            "agentsuite kill-switch engage principal:acme-refund-bot --reason \"retrying refunds at machine speed\"");
        return command;
    }

    private static Command List(CommandRunner runner, HelpExamples examples)
    {
        var command = new Command("list", "The engaged kill switches and where each was engaged");
        command.SetAction(runner.WithApi(ListAsync(runner)));
        examples.Add(command, "agentsuite kill-switch list", "agentsuite kill-switch list --json");
        return command;
    }

    private static Func<Api.ApiClient, ParseResult, CancellationToken, Task<int>> ListAsync(CommandRunner runner) =>
        async (api, parse, cancellationToken) =>
        {
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.GetKillSwitchesAsync<JsonElement>(cancellationToken));
                return ExitCodes.Ok;
            }

            KillSwitchView.Render(runner.Io.Out, await api.GetKillSwitchesAsync(cancellationToken));
            return ExitCodes.Ok;
        };

    private static Command Set(string name, bool engaged, CommandRunner runner, HelpExamples examples)
    {
        var scope = new Argument<string>("SCOPE") { Description = ScopeForms + "; an agent, server or tool must exist" };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in the audit with who and when" };
        var command = new Command(name, engaged
            ? "Engage a kill switch: the next tool call in its scope is denied, in conversations already under way too; principal:NAME also refuses that caller's next ask_NAME call over MCP"
            : "Release a kill switch engaged at run time (one set in configuration stays until the configuration changes)")
        {
            scope,
            reason,
        };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.SetKillSwitchAsync<JsonElement>(parse.GetValue(scope)!, engaged, parse.GetValue(reason), cancellationToken));
                return ExitCodes.Ok;
            }

            var state = await api.SetKillSwitchAsync(parse.GetValue(scope)!, engaged, parse.GetValue(reason), cancellationToken);
            KillSwitchView.Render(runner.Io.Out, state);
            return ExitCodes.Ok;
        }));
        examples.Add(command, $"agentsuite kill-switch {name} global", $"agentsuite kill-switch {name} agent:billing");
        return command;
    }
}
