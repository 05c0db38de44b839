using AgentSuite.Governance.Configuration;

namespace AgentSuite.Governance.Limits;

/// <summary>
/// The front door's limit: <c>ask_NAME</c> calls per minute by one caller (<c>Governance:Limits:AsksPerMinute</c>, or the
/// caller's own under <c>Limits:Principals</c>), in fixed one-minute windows kept by <see cref="ILimitCounters"/> (this
/// process's memory, or the store every instance shares). Every call counts, a repeat of an idempotency key included: a
/// caller polling for an outcome at machine speed is the case the limit is for.
/// </summary>
public sealed class AskRateLimiter(GovernancePolicyProvider policies, ILimitCounters counters)
{
    /// <summary>Why <paramref name="caller"/> may not ask now, or null when the call counts and may go on.</summary>
    public async ValueTask<string?> TryAcquireAsync(Principal caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var limit = PrincipalLimits.For(policies.Current.Options.Limits, caller).AsksPerMinute;
        if (limit <= 0)
        {
            return null;
        }

        var verdict = await counters.CountAsync(new LimitCheck(null, null, [new LimitWindow($"a\n{PrincipalLimits.KeyOf(caller)}", limit)]), cancellationToken);
        return verdict.Allowed
            ? null
            : $"rate limit: {limit} calls per minute for principal '{caller.Name}' (Governance:Limits:AsksPerMinute); retry after {RetryAfter.Seconds(verdict.RetryAfter)} s.";
    }
}
