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

    /// <summary>The longest server name: the model sees name_tool, and model APIs cap a function name at 64 characters.</summary>
    public const int MaxNameLength = 32;

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

        // Ports are not checked here: only the AppHost listens on them (the Api runs every entry over stdio).
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
            failures.Add($"{key}: a server name is lower-case letters and digits, starting with a letter, with single '-' or '_' between them, at most {MaxNameLength} characters (it names the tools, name/tool, the model's name_tool and the AppHost's resource).");
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
        if (project is not null && transport == ToolServerTransport.Http && string.IsNullOrEmpty(entry["HttpPort"]))
        {
            failures.Add($"{key}:HttpPort is missing: give the fixed port the AppHost serves it on (one no other entry uses, e.g. 5110), or set Transport to stdio.");
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
        if (entry["HttpPort"] is not { Length: > 0 } text)
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

    /// <summary>
    /// Turns a file that could not be read (not valid JSON, say) into the refusal the hosts print: its path and the
    /// parser's own message, which gives the line and position.
    /// </summary>
    public static InvalidOperationException Unreadable(string path, Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return new InvalidOperationException($"The list of tool servers, {path}, could not be read: {innermost.Message} Fix the file (docs/tool-servers.md).", e);
    }

    // Lower case, since Semantic Kernel and Aspire ignore case (billing and Billing would collide); a separator only
    // between letters or digits, since Aspire refuses "--" and a trailing '-'.
    private static bool IsServerName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && char.IsAsciiLetterLower(name[0])
        && name.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '-' or '_')
        && !name.EndsWith('-') && !name.EndsWith('_')
        && !Enumerable.Range(1, name.Length - 1).Any(i => name[i] is '-' or '_' && name[i - 1] is '-' or '_');
}
