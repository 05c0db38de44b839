using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Hosting.Tests;

/// <summary>
/// The test command is <c>dotnet test AgentSuite.sln</c>: these checks keep it meaning "build and test everything", so
/// a project left out of the solution, or a CI script that runs something else, fails here instead of going unseen.
/// </summary>
public sealed partial class SolutionTests
{
    private static string Root => ApiServer.RepositoryRoot;

    [Fact]
    public void EveryProjectInTheRepositoryIsInTheSolution()
    {
        var solution = SolutionProjectLine().Matches(File.ReadAllText(Path.Combine(Root, "AgentSuite.sln")))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var onDisk = Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(part => part is "bin" or "obj" || part.StartsWith('.')))
            // Template content (templates/plugin, ...) is built where dotnet new puts it, not in this solution.
            .Where(p => !p.StartsWith("templates/", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        var missing = onDisk.Except(solution).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"AgentSuite.sln leaves out {string.Join(", ", missing)}, so the test command would neither build nor test it: dotnet sln add it.");
        var gone = solution.Except(onDisk).Order(StringComparer.Ordinal).ToList();
        Assert.True(gone.Count == 0, $"AgentSuite.sln lists {string.Join(", ", gone)}, which does not exist: dotnet sln remove it.");
        Assert.Contains("AppHost/AgentSuite.AppHost.csproj", solution);
    }

    [Fact]
    public void CiRunsTheReadmeTestCommandOnTheWholeSolution()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var command = ReadmeTestCommand().Match(readme);
        var run = File.ReadAllText(Path.Combine(Root, ".ci", "run"));

        Assert.True(command.Success, "README.md's first commands no longer include a 'dotnet test' line.");
        Assert.Equal("dotnet test AgentSuite.sln", command.Value.TrimEnd());
        Assert.Contains(command.Value.TrimEnd() + " ", run, StringComparison.Ordinal);
    }

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]*", "(?<path>[^"]+\.csproj)", """, RegexOptions.Multiline)]
    private static partial Regex SolutionProjectLine();

    [GeneratedRegex(@"^dotnet test \S+", RegexOptions.Multiline)]
    private static partial Regex ReadmeTestCommand();
}
