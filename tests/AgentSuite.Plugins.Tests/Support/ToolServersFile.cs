using System.Text.Json;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>
/// The one list of tool servers, plugins/toolservers.json, as the tests read it: every test that means "all the tool
/// servers" takes them from here, so a server added to the list is tested without a code change.
/// </summary>
public static class ToolServersFile
{
    public static string Path { get; } = Find();

    /// <summary>
    /// Each entry: its name, its project file (relative to the plugins folder; null for a Command entry), the AppHost's
    /// fixed port for it, and whether it runs over stdio even under the AppHost (a Command, or Transport stdio).
    /// </summary>
    public static IReadOnlyList<(string Name, string? Project, int? HttpPort, bool Stdio)> Servers { get; } = Read(Path);

    public static IReadOnlyList<string> Names => Servers.Select(s => s.Name).ToList();

    /// <summary>Each Project entry's name and assembly name (its project file name without the extension).</summary>
    public static IReadOnlyList<(string Name, string Assembly)> Projects =>
        Servers.Where(s => s.Project is not null).Select(s => (s.Name, System.IO.Path.GetFileNameWithoutExtension(s.Project!))).ToList();

    /// <summary>The entries the AppHost runs as resources of their own: name, assembly name and fixed port.</summary>
    public static IReadOnlyList<(string Name, string Assembly, int HttpPort)> HttpServers =>
        Servers.Where(s => s.Project is not null && !s.Stdio).Select(s => (s.Name, System.IO.Path.GetFileNameWithoutExtension(s.Project!), s.HttpPort ?? 0)).ToList();

    public static IReadOnlyList<(string Name, string? Project, int? HttpPort, bool Stdio)> Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return json.RootElement.GetProperty("ToolServers").EnumerateObject()
            .Select(e => (
                e.Name,
                Text(e.Value, "Project"),
                e.Value.TryGetProperty("HttpPort", out var port) ? (int?)port.GetInt32() : null,
                Text(e.Value, "Command") is not null || string.Equals(Text(e.Value, "Transport"), "stdio", StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    private static string? Text(JsonElement entry, string key) => entry.TryGetProperty(key, out var value) ? value.GetString() : null;

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
