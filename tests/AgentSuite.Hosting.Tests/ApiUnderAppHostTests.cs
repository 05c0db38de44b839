using AgentSuite.AppHost;
using AgentSuite.Hosting.Tests.Support;
using AgentSuite.Mcp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentSuite.Hosting.Tests;

/// <summary>The real Api, given the AppHost's Mcp:Servers URLs and the mock model, works through the plugin servers over HTTP.</summary>
public sealed class ApiUnderAppHostTests(ApiUnderAppHost system) : IClassFixture<ApiUnderAppHost>
{
    [Fact]
    public void ApiConnectsToEachPluginByTheUrlTheAppHostGivesIt()
    {
        var servers = system.Api.Services.GetRequiredService<IOptions<McpOptions>>().Value.Servers;

        Assert.Equal(AppHostSettings.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal), servers.Keys.Order(StringComparer.Ordinal));
        foreach (var plugin in system.Plugins.Servers)
        {
            Assert.Equal(plugin.McpUri, servers[plugin.Plugin.Name].Url);
            Assert.Null(servers[plugin.Plugin.Name].Command);
        }
    }

    [Fact]
    public async Task HealthShowsTheThreePluginServers()
    {
        using var client = system.Api.Client();

        await Turns.AssertHealthShowsThePluginsAsync(client);
    }

    [Fact]
    public async Task DuplicateChargeIsRefundedOnceThroughTheHttpPlugins()
    {
        using var alice = system.Api.Client("alice");

        await Turns.AssertRefundPaidOnceAsync(alice, system.Plugins.DataFolder);
    }
}
