namespace AgentSuite.Template.Tests.Support;

/// <summary>What one dotnet command did: its command line, exit code, combined output and how long it took.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines of the output, enough to see why a build or test run failed.</summary>
    public string Describe() =>
        $"'{CommandLine}' exited with {ExitCode} after {Duration.TotalSeconds:F0} s:\n{string.Join('\n', Output.Split('\n').TakeLast(80))}";
}
