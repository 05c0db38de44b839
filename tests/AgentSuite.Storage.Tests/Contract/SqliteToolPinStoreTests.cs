using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class SqliteToolPinStoreTests : ToolPinStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.SqliteAsync();
}
