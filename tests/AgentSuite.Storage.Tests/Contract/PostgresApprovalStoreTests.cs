using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class PostgresApprovalStoreTests : ApprovalStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.PostgresAsync();
}
