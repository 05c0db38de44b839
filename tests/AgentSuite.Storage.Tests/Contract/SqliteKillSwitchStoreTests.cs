using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

public sealed class SqliteKillSwitchStoreTests : KillSwitchStoreContract
{
    protected override bool KeepsAVersion => false;

    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.SqliteAsync();
}
