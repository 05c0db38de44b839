namespace AgentSuite.Plugins.Tests.Support;

/// <summary>One plugin process over stdio shared by a test class; the process is stopped when the class is done.</summary>
public abstract class PluginFixture(string plugin) : IAsyncLifetime
{
    private StdioPlugin? _server;

    public StdioPlugin Server => _server ?? throw new InvalidOperationException("The plugin has not started.");

    public async Task InitializeAsync() => _server = await StdioPlugin.StartAsync(plugin);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
