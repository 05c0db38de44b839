using AgentSuite.Governance.Limits;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>The in-memory counters (the default, with SQLite): one process, so its one set of counters is every "instance".</summary>
public sealed class MemoryLimitCountersTests : LimitCountersContract
{
    private readonly MemoryLimitCounters _counters = new(TimeProvider.System);

    protected override ILimitCounters Counters => _counters;

    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.SqliteAsync();

    protected override Task<ILimitCounters> SecondInstanceAsync() => Task.FromResult<ILimitCounters>(_counters);
}
