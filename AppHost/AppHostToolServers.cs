using System.Globalization;
using AgentSuite.Mcp.ToolServers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

/// <summary>The AppHost's reading of the one list of tool servers (plugins/toolservers.json) and what it gives the Api.</summary>
internal static class AppHostToolServers
{
    /// <summary>The AppHost's own resources and parameters (AppHost.cs), which a tool server may not be named after.</summary>
    private static readonly string[] TakenNames =
        ["api", "model", "billing-agent", "postgres-connection", "audit-anchor-key", "model-endpoint", "model-name", "model-api-key"];

    /// <summary>Adds the list below every other configuration source and reads it; a bad entry throws, naming its key.</summary>
    public static IReadOnlyList<ToolServer> Read(IConfigurationManager configuration, string pluginsFolder)
    {
        var file = Path.Combine(pluginsFolder, ToolServerList.FileName);
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"The list of tool servers is missing: no {file} (docs/tool-servers.md).");
        }

        // Inserting loads it at once, so a file that is not valid JSON is refused here with its path and the parser's message.
        try
        {
            configuration.Sources.Insert(0, new JsonConfigurationSource
            {
                FileProvider = new PhysicalFileProvider(pluginsFolder),
                Path = ToolServerList.FileName,
                Optional = false,
            });
        }
        catch (InvalidDataException e)
        {
            throw ToolServerList.Unreadable(file, e);
        }

        var servers = ToolServerList.Read(configuration);
        foreach (var server in servers)
        {
            if (IsTaken(server.Name))
            {
                throw new InvalidOperationException(
                    $"{server.Key}: the AppHost already has a resource or parameter named {server.Name} ({string.Join(", ", TakenNames)}, billing-agent-*-key); give the tool server another name.");
            }

            // An http entry is an Aspire resource, whose name Aspire allows letters, digits and '-' only.
            if (server.Transport == ToolServerTransport.Http && server.Name.Contains('_', StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{server.Key}: an http entry is an AppHost resource, and Aspire allows no '_' in a resource name: use '-' (the tools become {server.Name.Replace('_', '-')}/tool), or set Transport to stdio.");
            }

            if (server.Project is not null && !File.Exists(Path.Combine(pluginsFolder, server.Project)))
            {
                throw new InvalidOperationException($"{server.Key}:Project is {server.Project}, but there is no such file in {pluginsFolder}.");
            }

            // A project the Api starts as its child runs from its built dll: refuse one that is not built here, not later.
            if (server.Project is not null && server.Transport == ToolServerTransport.Stdio)
            {
                BuiltToolServers.DllPath(typeof(AppHostToolServers).Assembly, server);
            }
        }

        // Ports matter only here, where http entries listen on them (the Api runs every entry over stdio).
        foreach (var sharing in servers.Where(s => s.Transport == ToolServerTransport.Http && s.HttpPort is not null).GroupBy(s => s.HttpPort).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException(
                $"{string.Join(" and ", sharing.Select(s => s.Key + ":HttpPort"))} share the port {sharing.Key}: give each http server its own (two servers cannot listen on one port).");
        }

        return servers;
    }

    private static bool IsTaken(string name) =>
        TakenNames.Contains(name, StringComparer.OrdinalIgnoreCase)
        || (name.StartsWith("billing-agent-", StringComparison.OrdinalIgnoreCase) && name.EndsWith("-key", StringComparison.OrdinalIgnoreCase));

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
