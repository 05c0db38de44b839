using AgentSuite.Mcp.ToolServers;
using Microsoft.Extensions.Configuration;

namespace AgentSuite.Api.Tests;

public sealed class EmbeddedPluginsTests
{
    [Fact]
    public void EachListedProjectRunsFromItsBuiltDllWithItsOwnDataFileAndServiceName()
    {
        var data = Path.Combine(Path.GetTempPath(), "agentsuite-embedded");
        var servers = ToolServerList.Read(new ConfigurationBuilder().AddJsonFile(EmbeddedPlugins.ListPath).Build());

        var settings = EmbeddedPlugins.Settings(servers, data);

        Assert.NotEmpty(servers);
        foreach (var server in servers.Where(s => s.Project is not null))
        {
            var assembly = Path.GetFileNameWithoutExtension(server.Project)!;
            Assert.Equal("dotnet", settings[$"Mcp:Servers:{server.Name}:Command"]);
            Assert.True(File.Exists(settings[$"Mcp:Servers:{server.Name}:Arguments:0"]), $"{assembly} is not where the Api recorded it");
            Assert.EndsWith(assembly + ".dll", settings[$"Mcp:Servers:{server.Name}:Arguments:0"], StringComparison.Ordinal);
            Assert.Equal(Path.Combine(data, server.Name + ".db"), settings[$"Mcp:Servers:{server.Name}:Arguments:2"]);

            // The child inherits the Api's environment, OTEL_SERVICE_NAME included; its telemetry must name itself.
            Assert.Equal(assembly, settings[$"Mcp:Servers:{server.Name}:Environment:OTEL_SERVICE_NAME"]);
        }
    }
}
