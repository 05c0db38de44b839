using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class PostgresToolPinStoreTests : ToolPinStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.PostgresAsync();
}
