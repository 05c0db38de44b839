using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class SqliteTurnStoreTests : TurnStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.SqliteAsync();
}
