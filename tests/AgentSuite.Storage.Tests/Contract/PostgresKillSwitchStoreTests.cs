using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class PostgresKillSwitchStoreTests : KillSwitchStoreContract
{
    protected override bool KeepsAVersion => true;

    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.PostgresAsync();
}
