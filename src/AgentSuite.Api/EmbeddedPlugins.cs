using AgentSuite.Mcp.ToolServers;

namespace AgentSuite.Api;

/// <summary>
/// The embedded default MCP servers: when <c>Mcp:Servers</c> is empty, the Api starts every entry of the list of tool
/// servers (<c>ToolServers</c>, plugins/toolservers.json) as a child process over stdio. A Project entry runs its built
/// dll (recorded at build time) with its SQLite file in the data folder; a Command entry runs as given.
/// </summary>
internal static class EmbeddedPlugins
{
    /// <summary>The list's copy in the Api's output, a configuration source below every other.</summary>
    public static string ListPath => Path.Combine(AppContext.BaseDirectory, ToolServerList.FileName);

    /// <summary>The list, checked; a missing list is refused rather than run as an Api with no tools by accident.</summary>
    public static IReadOnlyList<ToolServer> Read(IConfiguration configuration)
    {
        var servers = ToolServerList.Read(configuration);
        return servers.Count > 0 || File.Exists(ListPath)
            ? servers
            : throw new InvalidOperationException(
                $"No MCP servers: Mcp:Servers names none, and the list of tool servers ({ListPath}, copied from plugins/{ToolServerList.FileName} at build) is missing. " +
                "Build the Api again, or configure the servers under Mcp:Servers (docs/tool-servers.md).");
    }

    public static Dictionary<string, string?> Settings(IReadOnlyList<ToolServer> servers, string dataFolder)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var server in servers)
        {
            var key = $"Mcp:Servers:{server.Name}";
            if (server.Project is not null)
            {
                var dll = BuiltToolServers.DllPath(typeof(EmbeddedPlugins).Assembly, server);
                settings[$"{key}:Command"] = "dotnet";
                settings[$"{key}:Arguments:0"] = dll;
                settings[$"{key}:Arguments:1"] = "--data";
                settings[$"{key}:Arguments:2"] = Path.Combine(dataFolder, server.Name + ".db");

                // A child process inherits the Api's environment; its telemetry must carry its own name, not the Api's.
                settings[$"{key}:Environment:OTEL_SERVICE_NAME"] = Path.GetFileNameWithoutExtension(dll);
            }
            else
            {
                settings[$"{key}:Command"] = server.Command;
                for (var i = 0; i < server.Arguments.Count; i++)
                {
                    settings[$"{key}:Arguments:{i}"] = server.Arguments[i];
                }
            }

            foreach (var (name, value) in server.Environment)
            {
                settings[$"{key}:Environment:{name}"] = value;
            }
        }

        return settings;
    }

    /// <summary>Where the list came from, for the start-up log.</summary>
    public static string Describe(IReadOnlyList<ToolServer> servers) =>
        servers.Count == 0
            ? $"none (the list of tool servers, {ToolServerList.SectionName} in {ListPath}, is empty and Mcp:Servers names none)"
            : $"{string.Join(", ", servers.Select(s => s.Name))} over stdio (embedded defaults from {ToolServerList.SectionName}: {ListPath} and any configuration over it)";

    /// <summary>
    /// On PostgreSQL the Api is meant to run as one of several instances, but embedded plugins are children of this one
    /// process with files in its own data folder: say so at start, and name the settings that share one server each.
    /// </summary>
    public static void WarnIfPerInstance(IConfiguration configuration, IReadOnlyList<ToolServer> servers, ILogger log)
    {
        if (servers.Count > 0 && string.Equals(configuration["Storage:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            log.LogWarning(
                "Storage:Provider is Postgres, but no Mcp:Servers are configured, so this instance runs its own embedded tool servers ({Servers}) over stdio with their data in its own data folder. " +
                "Each instance then has its own tool server data: what one instance's tools change, another's do not see. " +
                "One instance on PostgreSQL is fine; for several, run each tool server once as a shared HTTP server (--http) and point every instance at it with Mcp:Servers:NAME:Url " +
                "({Example}; docs/hosting.md, 'Several instances on PostgreSQL').",
                string.Join(", ", servers.Select(s => s.Name)),
                string.Join(", ", servers.Select(s => $"Mcp__Servers__{s.Name}__Url=http://HOST:{s.HttpPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "PORT"}/mcp")));
        }
    }
}
