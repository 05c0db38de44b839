using System.Reflection;

namespace AgentSuite.Api;

/// <summary>
/// The embedded default MCP servers: when <c>Mcp:Servers</c> is empty, the Api starts the three sample plugins as child
/// processes over stdio, each with its SQLite file in the data folder. Their dll paths were recorded at build time.
/// </summary>
internal static class EmbeddedPlugins
{
    private static readonly (string Server, string Assembly)[] Plugins =
    [
        ("billing", "Billing.McpServer"),
        ("crm", "Crm.McpServer"),
        ("policy", "Policy.McpServer"),
    ];

    public static Dictionary<string, string?> Settings(string dataFolder)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (server, assembly) in Plugins)
        {
            settings[$"Mcp:Servers:{server}:Command"] = "dotnet";
            settings[$"Mcp:Servers:{server}:Arguments:0"] = DllPath(assembly);
            settings[$"Mcp:Servers:{server}:Arguments:1"] = "--data";
            settings[$"Mcp:Servers:{server}:Arguments:2"] = Path.Combine(dataFolder, server + ".db");

            // A child process inherits the Api's environment; its telemetry must carry its own name, not the Api's.
            settings[$"Mcp:Servers:{server}:Environment:OTEL_SERVICE_NAME"] = assembly;
        }

        return settings;
    }

    /// <summary>
    /// On PostgreSQL the Api is meant to run as one of several instances, but embedded plugins are children of this one
    /// process with files in its own data folder: say so at start, and name the settings that share one server each.
    /// </summary>
    public static void WarnIfPerInstance(IConfiguration configuration, ILogger log)
    {
        if (string.Equals(configuration["Storage:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            log.LogWarning(
                "Storage:Provider is Postgres, but no Mcp:Servers are configured, so this instance runs its own embedded plugins ({Servers}) over stdio with their data in its own data folder. " +
                "Each instance then has its own plugin data: a refund paid through one instance is not seen by the billing data of another. " +
                "One instance on PostgreSQL is fine; for several, run each plugin once as a shared HTTP server (--http) and point every instance at it with Mcp:Servers:NAME:Url " +
                "(Mcp__Servers__billing__Url=http://HOST:5101/mcp, likewise crm and policy; docs/hosting.md, 'Several instances on PostgreSQL').",
                string.Join(", ", Plugins.Select(p => p.Server)));
        }
    }

    private static string DllPath(string assembly)
    {
        var path = typeof(EmbeddedPlugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "plugin:" + assembly)?.Value;
        return path is not null && File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"The embedded plugin {assembly} is not built{(path is null ? "" : $" at {path}")}. Build the solution (dotnet build AgentSuite.sln), " +
                "or configure the MCP servers yourself under Mcp:Servers (see README, 'Connecting MCP tool servers').");
    }
}
