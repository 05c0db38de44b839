using System.Text.Json;

namespace AgentSuite.Tests.Support;

/// <summary>
/// The one list of tool servers, plugins/toolservers.json, as the tests read it: every test that means "all the tool
/// servers" takes them from here, so a server added to the list is tested without a code change.
/// </summary>
public static class ToolServersFile
{
    public static string Path { get; } = Find();

    /// <summary>Each entry's name and its project file (relative to the plugins folder; null for a Command entry).</summary>
    public static IReadOnlyList<(string Name, string? Project)> Servers { get; } = Read(Path);

    public static IReadOnlyList<string> Names => Servers.Select(s => s.Name).ToList();

    /// <summary>Each Project entry's name and assembly name (its project file name without the extension).</summary>
    public static IReadOnlyList<(string Name, string Assembly)> Projects =>
        Servers.Where(s => s.Project is not null).Select(s => (s.Name, System.IO.Path.GetFileNameWithoutExtension(s.Project!))).ToList();

    public static IReadOnlyList<(string Name, string? Project)> Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return json.RootElement.GetProperty("ToolServers").EnumerateObject()
            .Select(e => (e.Name, e.Value.TryGetProperty("Project", out var p) ? p.GetString() : null))
            .ToList();
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = System.IO.Path.Combine(dir.FullName, "plugins", "toolservers.json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"No plugins/toolservers.json above {AppContext.BaseDirectory}.");
    }
}
