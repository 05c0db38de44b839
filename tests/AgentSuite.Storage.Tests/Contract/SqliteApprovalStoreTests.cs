using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class SqliteApprovalStoreTests : ApprovalStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.SqliteAsync();
}
