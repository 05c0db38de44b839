using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite whoami</c>: who the Api takes the caller to be, with which roles.</summary>
internal static class WhoAmICommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples)
    {
        var command = new Command("whoami", "Who the Api takes you for (from --token or --api-key, or --user in demo mode) and your roles");
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.GetIdentityAsync<JsonElement>(cancellationToken));
                return ExitCodes.Ok;
            }

            var me = await api.GetIdentityAsync(cancellationToken);
            var roles = me.Roles is { Count: > 0 } r ? string.Join(", ", r) : "no roles";
            runner.Io.Out.MarkupLine($"[bold]{Markup.Escape(me.Name)}[/] [grey]({Markup.Escape(roles)})[/]"
                + (me.DemoMode ? " [yellow]demo mode: the Api has no keys; --user names you[/]" : ""));
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite whoami", "agentsuite --user bob whoami", "AGENTSUITE_API_KEY=... agentsuite whoami", "agentsuite --token \"$TOKEN\" whoami", "agentsuite whoami --json");
        return command;
    }
}
