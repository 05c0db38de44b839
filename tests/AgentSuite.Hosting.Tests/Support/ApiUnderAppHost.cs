using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Hosting.Tests.Support;

/// <summary>The three plugin servers as the AppHost runs them, and the real Api (in process) configured with the AppHost's settings.</summary>
public sealed class ApiUnderAppHost : IAsyncLifetime
{
    private AppHostPlugins? _plugins;
    private ApiServer? _api;

    public AppHostPlugins Plugins => _plugins ?? throw new InvalidOperationException("Not started.");

    public ApiServer Api => _api ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _plugins = await AppHostPlugins.StartAsync();
        _api = await ApiServer.StartAsync(ApiEnvironment.Settings(_plugins.DataFolder));
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_plugins is not null)
        {
            await _plugins.DisposeAsync();
        }
    }
}
