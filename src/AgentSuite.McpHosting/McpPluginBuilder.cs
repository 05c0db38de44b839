using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.McpHosting;

/// <summary>What a plugin's <c>Program.cs</c> configures: its data file, its services and its tools.</summary>
public sealed class McpPluginBuilder
{
    internal McpPluginBuilder(string name, McpPluginArguments arguments, IServiceCollection services, IMcpServerBuilder mcp)
    {
        Name = name;
        Arguments = arguments;
        Services = services;
        Mcp = mcp;
    }

    /// <summary>The plugin's short name (<c>billing</c>), also the MCP server name.</summary>
    public string Name { get; }

    public McpPluginArguments Arguments { get; }

    public IServiceCollection Services { get; }

    public IMcpServerBuilder Mcp { get; }

    /// <summary>Registers the <see cref="PluginDatabase"/> on the data file; the host opens (and seeds) it before serving.</summary>
    public McpPluginBuilder UseSqlite(string schemaSql, Action<SqliteConnection, DateTimeOffset> seed)
    {
        Services.AddSingleton(_ => new PluginDatabase(Arguments.DataPath, schemaSql, seed));
        return this;
    }

    /// <summary>Adds the <c>[McpServerTool]</c> methods of <typeparamref name="TTools"/>; results are written in snake_case JSON.</summary>
    public McpPluginBuilder AddTools<TTools>()
    {
        Mcp.WithTools<TTools>(McpPluginHost.JsonOptions);
        return this;
    }
}
