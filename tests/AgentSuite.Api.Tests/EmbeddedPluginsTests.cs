namespace AgentSuite.Api.Tests;

public sealed class EmbeddedPluginsTests
{
    [Fact]
    public void EachEmbeddedPluginRunsFromItsBuiltDllWithItsOwnDataFileAndServiceName()
    {
        var data = Path.Combine(Path.GetTempPath(), "agentsuite-embedded");

        var settings = EmbeddedPlugins.Settings(data);

        foreach (var (server, assembly) in new[] { ("billing", "Billing.McpServer"), ("crm", "Crm.McpServer"), ("policy", "Policy.McpServer") })
        {
            Assert.Equal("dotnet", settings[$"Mcp:Servers:{server}:Command"]);
            Assert.True(File.Exists(settings[$"Mcp:Servers:{server}:Arguments:0"]), $"{assembly} is not where the Api recorded it");
            Assert.EndsWith(assembly + ".dll", settings[$"Mcp:Servers:{server}:Arguments:0"], StringComparison.Ordinal);
            Assert.Equal(Path.Combine(data, server + ".db"), settings[$"Mcp:Servers:{server}:Arguments:2"]);

            // The child inherits the Api's environment, OTEL_SERVICE_NAME included; its telemetry must name itself.
            Assert.Equal(assembly, settings[$"Mcp:Servers:{server}:Environment:OTEL_SERVICE_NAME"]);
        }
    }
}
