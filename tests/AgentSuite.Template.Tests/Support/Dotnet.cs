using System.Diagnostics;
using System.Text;

namespace AgentSuite.Template.Tests.Support;

/// <summary>
/// Runs the dotnet CLI with a throw-away DOTNET_CLI_HOME, so installed templates never reach the machine's own list.
/// MSBuild nodes are not reused, so nothing started here outlives the command; a command past its time is killed.
/// </summary>
public sealed class Dotnet(string cliHome)
{
    public async Task<CommandResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild settings must not steer the builds of the generated solutions.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_HOME"] = cliHome;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(output, $"Killed after {timeout.TotalMinutes:F0} minutes.");
            return new CommandResult(CommandLine(arguments), -1, Snapshot(output), clock.Elapsed);
        }

        process.WaitForExit();
        return new CommandResult(CommandLine(arguments), process.ExitCode, Snapshot(output), clock.Elapsed);
    }

    private static string CommandLine(string[] arguments) => "dotnet " + string.Join(' ', arguments);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
