using System.Text.RegularExpressions;

namespace AgentSuite.Template.Tests.Support;

/// <summary>Finds the template's product name, in any spelling, left in a generated tree's paths or files.</summary>
public static partial class ProductName
{
    // Any case, and any separator a spelling could put between the two words (Agent_Suite, agent-suite, Agent Suite).
    [GeneratedRegex(@"agent[\s._-]*suite", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    /// <summary>One line per leftover: the path, and for file contents the line number and the line.</summary>
    public static IReadOnlyList<string> Leftovers(string root)
    {
        var found = new List<string>();
        foreach (var path in Files(root))
        {
            var relative = Path.GetRelativePath(root, path);
            if (Pattern().IsMatch(relative))
            {
                found.Add($"{relative} (path)");
            }

            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (Pattern().IsMatch(line))
                {
                    found.Add($"{relative}:{number}: {line.Trim()}");
                }
            }
        }

        return found;
    }

    /// <summary>The tree's files, build outputs left out.</summary>
    public static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(root, p).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
}
