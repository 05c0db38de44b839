namespace AgentSuite.Storage.Tests.Support;

/// <summary>
/// The base of a contract test class: each test gets the stores on a fresh database. A contract is an abstract class of
/// tests deriving from this one, run once per store by two small classes (<c>Sqlite…Tests</c>, <c>Postgres…Tests</c>)
/// that say which backend to create.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private StoreBackend? _backend;

    protected StoreBackend Backend => _backend ?? throw new InvalidOperationException("The backend is created before each test.");

    protected abstract Task<StoreBackend> CreateBackendAsync();

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }
}
