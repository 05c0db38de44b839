using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class PostgresAgentCallStoreTests : AgentCallStoreContract
{
    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.PostgresAsync();
}
