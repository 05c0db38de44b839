namespace AgentSuite.Plugins.Tests.Support;

/// <summary>One plugin process serving Streamable HTTP for a test class (with extra environment if given); killed when the class is done.</summary>
public abstract class HttpPluginFixture(string plugin, IReadOnlyDictionary<string, string?>? environment = null) : IAsyncLifetime
{
    private HttpPlugin? _server;

    public HttpPlugin Server => _server ?? throw new InvalidOperationException("The plugin has not started.");

    public async Task InitializeAsync() => _server = await HttpPlugin.StartAsync(plugin, environment);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
