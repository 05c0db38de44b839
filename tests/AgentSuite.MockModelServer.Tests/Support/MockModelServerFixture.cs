namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>One server on the demo script without a key, shared by the tests of the <see cref="MockModelServerCollection"/>.</summary>
public sealed class MockModelServerFixture : IAsyncLifetime
{
    private MockModelServerProcess? _server;

    public MockModelServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await MockModelServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
