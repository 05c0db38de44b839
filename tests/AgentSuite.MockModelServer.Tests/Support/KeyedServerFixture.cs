namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>A server that requires <see cref="Key"/>, given through the environment as a deployment would.</summary>
public sealed class KeyedServerFixture : IAsyncLifetime
{
    public const string Key = "mock-key-4f1c9a7e2b6d8035";

    private MockModelServerProcess? _server;

    public MockModelServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() =>
        _server = await MockModelServerProcess.StartAsync(environment: new Dictionary<string, string?> { ["MockModel__ApiKey"] = Key });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
