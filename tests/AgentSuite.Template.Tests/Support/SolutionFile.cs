using System.Text.RegularExpressions;

namespace AgentSuite.Template.Tests.Support;

/// <summary>The projects a .sln file lists, as paths relative to its folder with forward slashes.</summary>
public static partial class SolutionFile
{
    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]+", "(?<path>[^"]+\.csproj)", """, RegexOptions.Multiline)]
    private static partial Regex ProjectLine();

    public static IReadOnlySet<string> Projects(string solutionPath) =>
        ProjectLine().Matches(File.ReadAllText(solutionPath))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every .csproj under <paramref name="root"/>, build outputs left out, relative with forward slashes.</summary>
    public static IReadOnlySet<string> ProjectsOnDisk(string root) =>
        ProductName.Files(root)
            .Where(p => p.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(p => !Path.GetRelativePath(root, p).StartsWith("templates", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
}
