using System.CommandLine;
using System.Text.Json;
using AgentSuite.Cli.Rendering;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite metrics [--at TIME]</c>: the operations figures of the last hour and day (<c>--json</c>: as the Api serves them).</summary>
internal static class MetricsCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples)
    {
        var at = new Option<string?>("--at") { Description = "End the windows at this ISO 8601 instant (2026-12-06T09:00:00Z) instead of now" };
        var command = new Command("metrics",
            "Turns and their duration, approvals per turn and their wait, denials by stage and failures by tool, over the last hour and day (role admin)")
        {
            at,
        };
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.GetOperationsMetricsAsync<JsonElement>(parse.GetValue(at), cancellationToken));
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
