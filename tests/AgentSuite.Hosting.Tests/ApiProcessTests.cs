using AgentSuite.Hosting.Tests.Support;

namespace AgentSuite.Hosting.Tests;

/// <summary>
/// The Api as its own process with exactly the environment variables the AppHost sets (plus the ASPNETCORE_URLS Aspire
/// adds): it listens where <c>Urls</c> says, reads <c>Mcp__Servers__*__Url</c>, and works through the plugins.
/// </summary>
public sealed class ApiProcessTests
{
    [Fact]
    public async Task ApiGivenTheAppHostEnvironmentListensOnUrlsAndRefundsThroughThePlugins()
    {
        await using var plugins = await AppHostPlugins.StartAsync();
        using var api = await ApiProcess.StartAsync(ApiEnvironment.Variables(plugins.DataFolder));
        using var alice = api.Client("alice");

        await Turns.AssertHealthShowsThePluginsAsync(alice);
        await Turns.AssertRefundPaidOnceAsync(alice, plugins.DataFolder);
    }
}
