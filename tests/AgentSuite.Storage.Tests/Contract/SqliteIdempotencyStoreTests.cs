using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class SqliteIdempotencyStoreTests : IdempotencyStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.SqliteAsync();
}
