using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Filters;
using AgentSuite.Governance.IdleState;

namespace AgentSuite.Governance.Limits;

/// <summary>
/// The front door's limit: <c>ask_NAME</c> calls per minute by one caller (<c>Governance:Limits:AsksPerMinute</c>, or the
/// caller's own under <c>Limits:Principals</c>), in fixed one-minute windows held in this process's memory, so each
/// instance counts its own calls. Every call counts, a repeat of an idempotency key included: a caller polling for an
/// outcome at machine speed is the case the limit is for.
/// </summary>
public sealed class AskRateLimiter(GovernancePolicyProvider policies, TimeProvider time) : IIdleStateOwner
{
    private readonly RateWindows _windows = new(TimeSpan.FromMinutes(1), time);

    /// <summary>Why <paramref name="caller"/> may not ask now, or null when the call counts and may go on.</summary>
    public string? TryAcquire(Principal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var limit = PrincipalLimits.For(policies.Current.Options.Limits, caller).AsksPerMinute;
        return limit <= 0 || _windows.TryAcquire(PrincipalLimits.KeyOf(caller), limit, out var wait)
            ? null
            : $"rate limit: {limit} calls per minute for principal '{caller.Name}' (Governance:Limits:AsksPerMinute); retry after {RetryAfter.Seconds(wait)} s.";
    }

    public int ReleaseIdle(TimeSpan idleFor) => _windows.ReleaseIdle(idleFor);
}
