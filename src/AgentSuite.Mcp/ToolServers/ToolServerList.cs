using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AgentSuite.Mcp.ToolServers;

/// <summary>
/// Reads the one list of tool servers, the <c>ToolServers</c> section (plugins/toolservers.json, overridable like any
/// setting), and refuses a bad entry with a message that names its key. The Api, the AppHost and the tests all read it.
/// </summary>
public static class ToolServerList
{
    public const string SectionName = "ToolServers";

    /// <summary>The list's file name, in the plugins folder and in the output of every project that reads it.</summary>
    public const string FileName = "toolservers.json";

    public static IReadOnlyList<ToolServer> Read(IConfiguration configuration)
    {
        var servers = new List<ToolServer>();
        var failures = new List<string>();
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            if (Entry(entry, failures) is { } server)
            {
                servers.Add(server);
            }
        }

        foreach (var sharing in servers.Where(s => s.Transport == ToolServerTransport.Http && s.HttpPort is not null).GroupBy(s => s.HttpPort).Where(g => g.Count() > 1))
        {
            failures.Add($"{string.Join(" and ", sharing.Select(s => s.Key + ":HttpPort"))} share the port {sharing.Key}: give each server its own.");
        }

        return failures.Count == 0
            ? servers
            : throw new InvalidOperationException($"The list of tool servers ({SectionName}, plugins/{FileName}) has a bad entry: {string.Join(" ", failures)}");
    }

    private static ToolServer? Entry(IConfigurationSection entry, List<string> failures)
    {
        var name = entry.Key;
        var key = $"{SectionName}:{name}";
        var before = failures.Count;
        if (!IsServerName(name))
        {
            failures.Add($"{key}: a server name is letters, digits and '-', starting with a letter (it names the tools, name/tool, and the AppHost's resource).");
        }

        var project = entry["Project"] is { Length: > 0 } p ? p : null;
        var command = entry["Command"] is { Length: > 0 } c ? c : null;
        if ((project is null) == (command is null))
        {
            failures.Add($"{key}: set exactly one of Project (a .NET MCP server project, relative to the plugins folder) or Command (any program serving MCP over stdio).");
        }

        var transport = Transport(entry, key, command is not null, failures);
        var arguments = List(entry.GetSection("Arguments"), failures);
        if (project is not null && arguments.Count > 0)
        {
            failures.Add($"{key}:Arguments: only a Command takes Arguments; a Project is started with --data FILE (and --http under the AppHost).");
        }

        var httpPort = Port(entry, key, failures);
        if (project is not null && transport == ToolServerTransport.Http && httpPort is null && entry["HttpPort"] is null)
        {
            failures.Add($"{key}:HttpPort is missing: give the fixed port the AppHost serves it on (e.g. 5104), or set Transport to stdio.");
        }

        var environment = entry.GetSection("Environment").GetChildren().ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        return failures.Count == before ? new ToolServer(name, project, command, arguments, environment, httpPort, transport) : null;
    }

    private static ToolServerTransport Transport(IConfigurationSection entry, string key, bool isCommand, List<string> failures)
    {
        switch (entry["Transport"]?.ToLowerInvariant())
        {
            case null or "":
                return isCommand ? ToolServerTransport.Stdio : ToolServerTransport.Http;
            case "stdio":
                return ToolServerTransport.Stdio;
            case "http" when isCommand:
                failures.Add($"{key}:Transport is http, but a Command is served over stdio only: remove Transport or set it to stdio.");
                return ToolServerTransport.Stdio;
            case "http":
                return ToolServerTransport.Http;
            default:
                failures.Add($"{key}:Transport is '{entry["Transport"]}': use http (its own resource under the AppHost) or stdio (a child of the Api).");
                return ToolServerTransport.Http;
        }
    }

    private static int? Port(IConfigurationSection entry, string key, List<string> failures)
    {
        if (entry["HttpPort"] is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        failures.Add($"{key}:HttpPort is '{text}': give a port number from 1 to 65535.");
        return null;
    }

    private static List<string> List(IConfigurationSection section, List<string> failures)
    {
        if (section.Value is { Length: > 0 })
        {
            failures.Add($"{section.Path} is one string: give a list, e.g. [\"-y\", \"some-mcp-server\"].");
            return [];
        }

        return section.GetChildren().Select(a => a.Value ?? "").ToList();
    }

    private static bool IsServerName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name[^1] != '-' && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-');
}
