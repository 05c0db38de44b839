using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.IdleState;

/// <summary>
/// Asks every <see cref="IIdleStateOwner"/> to release idle state, every half <c>Governance:IdleStateRelease</c> (read
/// again each time, so a reload applies), on the app's <see cref="TimeProvider"/>. State idle for the interval is gone
/// within one and a half intervals, also when no call comes to trigger it.
/// </summary>
public sealed class IdleStateSweeper(IEnumerable<IIdleStateOwner> owners, GovernancePolicyProvider policies, TimeProvider time, ILogger<IdleStateSweeper> logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan ShortestPeriod = TimeSpan.FromSeconds(1);

    private readonly IIdleStateOwner[] _owners = [.. owners];
    private readonly Lock _gate = new();
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The timer must not capture the caller's execution context: an ambient run held by it would never be released.
        using (ExecutionContext.SuppressFlow())
        {
            lock (_gate)
            {
                _timer ??= time.CreateTimer(static s => ((IdleStateSweeper)s!).Sweep(), this, Period(Interval), Timeout.InfiniteTimeSpan);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>Releases what has been idle for the configured interval now; returns how many entries went.</summary>
    public int Sweep()
    {
        var interval = Interval;
        var released = 0;
        foreach (var owner in _owners)
        {
            try
            {
                released += owner.ReleaseIdle(interval);
            }
            catch (Exception ex)
            {
                // Releasing memory must never stop the next sweep; the state is kept and tried again.
                logger.LogError(ex, "Releasing idle state in {Owner} failed", owner.GetType().Name);
            }
        }

        if (released > 0)
        {
            logger.LogDebug("Released {Count} idle entries", released);
        }

        lock (_gate)
        {
            _timer?.Change(Period(interval), Timeout.InfiniteTimeSpan);
        }

        return released;
    }

    // Under an invalid policy the options are the defaults, so the sweep goes on.
    private TimeSpan Interval => policies.Current.Options.IdleStateRelease is { Ticks: > 0 } interval ? interval : new GovernanceOptions().IdleStateRelease;

    private static TimeSpan Period(TimeSpan interval) => interval / 2 > ShortestPeriod ? interval / 2 : ShortestPeriod;
}
