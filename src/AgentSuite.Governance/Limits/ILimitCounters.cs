using AgentSuite.Governance.IdleState;

namespace AgentSuite.Governance.Limits;

/// <summary>
/// Where the rate and loop limits keep their counts: in this process's memory (<see cref="MemoryLimitCounters"/>, the
/// default) or in a store every instance shares, so a limit holds across instances. One governed call is one
/// <see cref="CountAsync"/>, whatever it counts in, so a shared store costs one round trip per call. What the counters
/// keep for ended windows and runs goes through <see cref="IIdleStateOwner.ReleaseIdle"/>, never loosening a limit.
/// </summary>
public interface ILimitCounters : IIdleStateOwner
{
    /// <summary>
    /// Counts one call: first its run's loop counter (when <see cref="LimitCheck.Loop"/> is set), then each window in
    /// order, stopping at the first that refuses it. A refused window does not count the windows after it; the windows
    /// before it keep the call counted (rate limits count attempts).
    /// </summary>
    ValueTask<LimitVerdict> CountAsync(LimitCheck check, CancellationToken cancellationToken = default);
}
