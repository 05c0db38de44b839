using AgentSuite.AppHost;
using AgentSuite.Hosting.Tests.Support;
using ModelContextProtocol.Client;

namespace AgentSuite.Hosting.Tests;

/// <summary>Each plugin server, started with exactly the command line the AppHost gives it, serves health and MCP where the Api is told to look.</summary>
public sealed class PluginServerTests
{
    public static TheoryData<string, string> PluginsAndATool => new()
    {
        { AppHostSettings.Billing.Name, "issue_refund" },
        { AppHostSettings.Crm.Name, "create_case" },
        { AppHostSettings.Policy.Name, "check_refund" },
    };

    [Theory]
    [MemberData(nameof(PluginsAndATool))]
    public async Task PluginStartedWithTheAppHostArgumentsServesHealthAndMcpOnItsPort(string name, string tool)
    {
        var plugin = AppHostSettings.Plugins.Single(p => p.Name == name);
        var dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-hosting-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await PluginProcess.StartAsync(plugin, dataFolder);
            Assert.Equal(["--http", "--urls", $"http://127.0.0.1:{plugin.Port}", "--data", Path.Combine(dataFolder, $"{name}.db")], server.Arguments);

            using var http = new HttpClient();
            using var health = await http.GetAsync(server.HealthUri);
            Assert.True(health.IsSuccessStatusCode, $"{server.HealthUri} answered {(int)health.StatusCode}.");

            await using var client = await server.ConnectAsync();
            using var timeout = new CancellationTokenSource(Timeouts.Call);
            var tools = await client.ListToolsAsync(cancellationToken: timeout.Token);
            Assert.Equal(name, client.ServerInfo?.Name);
            Assert.Contains(tool, tools.Select(t => t.Name));
            Assert.True(File.Exists(plugin.DataFile(dataFolder)), $"The {name} plugin did not create its data file in the AppHost's data folder.");
        }
        finally
        {
            if (Directory.Exists(dataFolder))
            {
                Directory.Delete(dataFolder, recursive: true);
            }
        }
    }
}
