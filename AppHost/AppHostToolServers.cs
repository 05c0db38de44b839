using System.Globalization;
using AgentSuite.Mcp.ToolServers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

/// <summary>The AppHost's reading of the one list of tool servers (plugins/toolservers.json) and what it gives the Api.</summary>
internal static class AppHostToolServers
{
    /// <summary>The AppHost's own resources, which a tool server may not be named after.</summary>
    private static readonly string[] ResourceNames = ["api", "model", "billing-agent"];

    /// <summary>Adds the list below every other configuration source and reads it; a bad entry throws, naming its key.</summary>
    public static IReadOnlyList<ToolServer> Read(IConfigurationManager configuration, string pluginsFolder)
    {
        var file = Path.Combine(pluginsFolder, ToolServerList.FileName);
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"The list of tool servers is missing: no {file} (docs/tool-servers.md).");
        }

        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(pluginsFolder),
            Path = ToolServerList.FileName,
            Optional = false,
        });
        var servers = ToolServerList.Read(configuration);
        foreach (var server in servers)
        {
            if (ResourceNames.Contains(server.Name, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{server.Key}: the AppHost already has a resource named {server.Name}; give the tool server another name.");
            }

            if (server.Project is not null && !File.Exists(Path.Combine(pluginsFolder, server.Project)))
            {
                throw new InvalidOperationException($"{server.Key}:Project is {server.Project}, but there is no such file in {pluginsFolder}.");
            }
        }

        return servers;
    }

    /// <summary>The Api's Mcp:Servers:NAME settings (environment form, below NAME) that start a stdio entry as its child.</summary>
    public static IEnumerable<(string Key, string? Value)> StdioSettings(ToolServer server, string dataFolder)
    {
        IReadOnlyList<string> arguments;
        if (server.Project is not null)
        {
            var dll = BuiltToolServers.DllPath(typeof(AppHostToolServers).Assembly, server);
            yield return ("Command", "dotnet");
            yield return ("Environment__OTEL_SERVICE_NAME", Path.GetFileNameWithoutExtension(dll));
            arguments = [dll, "--data", Path.Combine(dataFolder, server.Name + ".db")];
        }
        else
        {
            yield return ("Command", server.Command);
            arguments = server.Arguments;
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            yield return ($"Arguments__{i.ToString(CultureInfo.InvariantCulture)}", arguments[i]);
        }

        foreach (var (name, value) in server.Environment)
        {
            yield return ($"Environment__{name}", value);
        }
    }
}
