using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgentSuite.Api.Tests.Support;
using AgentSuite.AppHost;

namespace AgentSuite.Hosting.Tests;

/// <summary>
/// The AppHost is not built on the CI machine, so these checks keep what can drift unseen in plain sight: the CI
/// solution filter leaves out the AppHost and nothing else, and the AppHost's project references and resource types
/// still name real projects.
/// </summary>
public sealed partial class SolutionTests
{
    private const string AppHostProject = "AppHost/AgentSuite.AppHost.csproj";

    private static string Root => ApiServer.RepositoryRoot;

    [Fact]
    public void CiFilterBuildsEveryProjectOfTheSolutionButTheAppHost()
    {
        var solution = SolutionProjectLine().Matches(File.ReadAllText(Path.Combine(Root, "AgentSuite.sln")))
            .Select(m => Normalize(m.Groups["path"].Value))
            .ToHashSet(StringComparer.Ordinal);
        using var filter = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "AgentSuite.Ci.slnf")));
        var filtered = filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray()
            .Select(p => Normalize(p.GetString()!))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal("AgentSuite.sln", filter.RootElement.GetProperty("solution").GetProperty("path").GetString());
        Assert.Contains(AppHostProject, solution);
        Assert.DoesNotContain(AppHostProject, filtered);
        var missing = solution.Except(filtered).Where(p => p != AppHostProject).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"AgentSuite.Ci.slnf leaves out {string.Join(", ", missing)}, so CI would neither build nor test it: add it to the filter's projects.");
        var unknown = filtered.Except(solution).Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, $"AgentSuite.Ci.slnf lists {string.Join(", ", unknown)}, which AgentSuite.sln does not have: remove it from the filter or add it to the solution.");
    }

    [Fact]
    public void CiRunsTheFilterNotTheWholeSolution()
    {
        var run = File.ReadAllText(Path.Combine(Root, ".ci", "run"));

        Assert.Contains("dotnet test AgentSuite.Ci.slnf", run, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet test AgentSuite.sln", run, StringComparison.Ordinal);
    }

    [Fact]
    public void AppHostDeclaresARealProjectForEachResource()
    {
        var project = XDocument.Load(Path.Combine(Root, AppHostProject));
        var program = File.ReadAllText(Path.Combine(Root, "AppHost", "AppHost.cs"));
        var references = project.Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value.Replace('\\', '/')).ToList();

        Assert.StartsWith("Aspire.AppHost.Sdk/", project.Root!.Attribute("Sdk")!.Value, StringComparison.Ordinal);
        // The plugins, the Api and the mock model server.
        Assert.Equal(AppHostSettings.Plugins.Count + 2, references.Count);
        foreach (var reference in references)
        {
            var path = Path.GetFullPath(Path.Combine(Root, "AppHost", reference));
            Assert.True(File.Exists(path), $"The AppHost references {reference}, which does not exist.");
            // The Aspire SDK names a project's resource type Projects.<file name with '.' as '_'>.
            var type = "Projects." + Path.GetFileNameWithoutExtension(path).Replace('.', '_');
            Assert.Contains(type, program, StringComparison.Ordinal);
        }
    }

    /// <summary>A path relative to the repository root, with '/' (the .sln and .slnf write '\\').</summary>
    private static string Normalize(string path) => path.Replace('\\', '/');

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]*", "(?<path>[^"]+\.csproj)", """, RegexOptions.Multiline)]
    private static partial Regex SolutionProjectLine();
}
