using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class PostgresIdempotencyStoreTests : IdempotencyStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.PostgresAsync();
}
