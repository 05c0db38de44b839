using System.CommandLine;
using System.Text.Json;
using AgentSuite.Cli.Rendering;

namespace AgentSuite.Cli.Commands;

/// <summary><c>agentsuite status</c>: what is running and under which policy (role admin).</summary>
internal static class StatusCommand
{
    public static Command Create(CommandRunner runner, HelpExamples examples)
    {
        var command = new Command("status", "What is running: MCP servers up or down (with the last error), blocked tools, the model, the policy version, engaged kill switches, the Api instances sharing the store (role admin)");
        command.SetAction(runner.WithApi(async (api, parse, cancellationToken) =>
        {
            if (runner.Json(parse))
            {
                runner.WriteJson(await api.GetStatusAsync<JsonElement>(cancellationToken));
                return ExitCodes.Ok;
            }

            StatusView.Render(runner.Io.Out, await api.GetStatusAsync(cancellationToken));
            return ExitCodes.Ok;
        }));
        examples.Add(command, "agentsuite status", "agentsuite --url http://127.0.0.1:5080 --api-key $KEY status", "agentsuite status --json | jq '.servers[] | select(.live == false)'");
        return command;
    }
}
