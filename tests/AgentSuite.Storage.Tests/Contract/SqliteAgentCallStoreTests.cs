using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class SqliteAgentCallStoreTests : AgentCallStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.SqliteAsync();
}
