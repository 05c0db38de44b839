namespace AgentSuite.Plugins.Tests.Support;

/// <summary>One billing process serving Streamable HTTP for a test class; killed when the class is done.</summary>
public sealed class BillingHttpFixture : IAsyncLifetime
{
    private HttpPlugin? _server;

    public HttpPlugin Server => _server ?? throw new InvalidOperationException("The plugin has not started.");

    public async Task InitializeAsync() => _server = await HttpPlugin.StartAsync(BuiltPlugins.Billing);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
