using System.CommandLine;
using AgentSuite.Cli.Rendering;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite metrics [--at TIME] [--json]</c>: the operations figures of the last hour and day.</summary>
internal static class MetricsCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples)
    {
        var at = new Option<string?>("--at") { Description = "End the windows at this ISO 8601 instant (2026-12-06T09:00:00Z) instead of now" };
        var json = new Option<bool>("--json") { Description = "Print the Api's JSON instead of the table, for scripts" };
        var command = new Command("metrics",
            "Turns and their duration, approvals per turn and their wait, denials by stage and failures by tool, over the last hour and day (role admin)")
        {
            at,
            json,
        };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (parse.GetValue(json))
            {
                // Raw text, not markup: the JSON is meant for a file or another program.
                runner.Io.Out.Profile.Out.Writer.WriteLine(await api.GetOperationsMetricsJsonAsync(parse.GetValue(at), cancellationToken));
                return ExitCodes.Ok;
            }

            MetricsTable.Render(runner.Io.Out, await api.GetOperationsMetricsAsync(parse.GetValue(at), cancellationToken));
            return ExitCodes.Ok;
        }));
        examples.Add(command,
            "agentsuite metrics",
            "agentsuite metrics --at 2026-12-06T09:00:00Z   # the hour and day before that instant",
            "agentsuite metrics --json > metrics.json");
        return command;
    }
}
