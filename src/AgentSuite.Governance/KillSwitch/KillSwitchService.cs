using System.Collections.Immutable;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.KillSwitch;

/// <summary>
/// The switches in force: those engaged in configuration plus those engaged at run time (persisted and audited).
/// A change made through this instance takes effect on its very next tool call, including calls in conversations
/// already under way; one made by another instance sharing the store, within <c>KillSwitch:RefreshInterval</c>.
/// </summary>
public sealed class KillSwitchService(IKillSwitchStore store, IAuditStore audit, GovernancePolicyProvider policies, TimeProvider time, ILogger<KillSwitchService> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ImmutableHashSet<string>? _runtime;
    private volatile ImmutableHashSet<string> _unsaved = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private long _loadedAt;

    public void Dispose() => _gate.Dispose();

    /// <summary>The engaged scope that stops this call, or null.</summary>
    public async ValueTask<string?> FindEngagedAsync(ToolCallContext context)
    {
        var runtime = _runtime;
        if (runtime is null || time.GetElapsedTime(Interlocked.Read(ref _loadedAt)) >= context.Policy.Options.KillSwitch.RefreshInterval)
        {
            runtime = await LoadAsync(context.CancellationToken);
        }

        var configured = context.Policy.KillSwitches;
        var unsaved = _unsaved;
        if (configured.Count == 0 && runtime.Count == 0 && unsaved.Count == 0)
        {
            return null;
        }

        return First(KillSwitchScope.Global)
            ?? First(KillSwitchScope.Agent(context.Agent))
            ?? First(KillSwitchScope.Server(context.Tool.Server))
            ?? First(KillSwitchScope.Tool(context.Tool))
            ?? PrincipalScope(context.Principal, configured, runtime, unsaved);

        string? First(string scope) => configured.Contains(scope) || runtime.Contains(scope) || unsaved.Contains(scope) ? scope : null;
    }

    /// <summary>The engaged <c>global</c> or <c>principal:NAME</c> scope that stops everything <paramref name="caller"/> asks, or null.</summary>
    public async ValueTask<string?> FindEngagedForAsync(Principal caller, CancellationToken cancellationToken = default)
    {
        var runtime = _runtime;
        var policy = policies.Current;
        if (runtime is null || time.GetElapsedTime(Interlocked.Read(ref _loadedAt)) >= policy.Options.KillSwitch.RefreshInterval)
        {
            runtime = await LoadAsync(cancellationToken);
        }

        var configured = policy.KillSwitches;
        var unsaved = _unsaved;
        return configured.Contains(KillSwitchScope.Global) || runtime.Contains(KillSwitchScope.Global) || unsaved.Contains(KillSwitchScope.Global)
            ? KillSwitchScope.Global
            : PrincipalScope(caller, configured, runtime, unsaved);
    }

    // Matched like ownership: the name case-insensitively, or a token's subject, so a renamed caller is still stopped;
    // a delegated call is stopped by its person's switch and by the switch of the service acting for it (Via).
    private static string? PrincipalScope(Principal caller, IReadOnlySet<string> configured, ImmutableHashSet<string> runtime, ImmutableHashSet<string> unsaved)
    {
        foreach (var set in new IEnumerable<string>[] { configured, runtime, unsaved })
        {
            foreach (var scope in set)
            {
                if (KillSwitchScope.PrincipalOf(scope) is { } name
                    && (caller.IsSamePersonAs(name) || string.Equals(caller.Via, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return scope;
                }
            }
        }

        return null;
    }

    /// <summary>The engaged scopes, configured and run-time, without who changed them (no read beyond the switch set itself).</summary>
    public async Task<IReadOnlySet<string>> EngagedScopesAsync(CancellationToken cancellationToken = default)
    {
        var runtime = await LoadAsync(cancellationToken);
        return new SortedSet<string>(policies.Current.KillSwitches.Concat(runtime).Concat(_unsaved), StringComparer.Ordinal);
    }

    /// <summary>Every engaged scope with where it was engaged (<c>configuration</c> or <c>runtime</c>).</summary>
    public async Task<IReadOnlyList<KillSwitchState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var runtime = await LoadAsync(cancellationToken);
        var changes = (await store.LoadEngagedChangesAsync(cancellationToken)).ToDictionary(c => c.Scope, StringComparer.Ordinal);
        var configured = policies.Current.KillSwitches;
        return configured.Select(s => new KillSwitchState(s, "configuration"))
            .Concat(runtime.Union(_unsaved).Where(s => !configured.Contains(s)).Select(s => changes.TryGetValue(s, out var c)
                ? new KillSwitchState(s, "runtime") { ChangedBy = c.ChangedBy, ChangedAt = c.ChangedAt, Reason = c.Reason }
                : new KillSwitchState(s, "runtime")))
            .OrderBy(s => s.Scope, StringComparer.Ordinal)
            .ToList();
    }

    public Task<IReadOnlyList<KillSwitchState>> SetAsync(string scope, bool engaged, Principal changedBy, CancellationToken cancellationToken = default) =>
        SetAsync(scope, engaged, changedBy, reason: null, cancellationToken);

    /// <summary>Engages or releases <paramref name="scope"/>; <paramref name="reason"/>, when given, is kept with the audit entry.</summary>
    public async Task<IReadOnlyList<KillSwitchState>> SetAsync(string scope, bool engaged, Principal changedBy, string? reason, CancellationToken cancellationToken = default)
    {
        scope = KillSwitchScope.Parse(scope);
        if (!changedBy.IsInRole(Roles.Admin))
        {
            throw new UnauthorizedAccessException($"'{changedBy.Name}' does not hold the '{Roles.Admin}' role and cannot change kill switches.");
        }

        scope = await SpellingInForceAsync(scope, cancellationToken);

        if (!engaged && policies.Current.KillSwitches.Contains(scope))
        {
            throw new InvalidOperationException($"'{scope}' is engaged in configuration (Governance:KillSwitch:Engaged); remove it there to release it.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (engaged)
            {
                // Stop first, then record: until the store has it, this instance holds the switch on its own, so a
                // failed write can never quietly release an engaged switch.
                _unsaved = _unsaved.Add(scope);
            }

            await store.SetAsync(scope, engaged, changedBy.Name, now, reason, cancellationToken);
            _unsaved = _unsaved.Remove(scope);
            await audit.AppendAsync(new AuditEntry("governance.kill_switch", now)
            {
                Principal = changedBy.Name,
                Decision = engaged ? "engaged" : "released",
                Reason = scope,
                Data = reason is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["reason"] = reason }),
            }, cancellationToken);
            await LoadAsync(cancellationToken);
            logger.LogWarning("Kill switch {Scope} {State} by {Principal}", scope, engaged ? "engaged" : "released", changedBy.Name);
        }
        finally
        {
            _gate.Release();
        }

        return await ListAsync(cancellationToken);
    }

    // A principal's name matches ignoring case, so engaging or releasing it acts on the spelling already in force.
    private async Task<string> SpellingInForceAsync(string scope, CancellationToken cancellationToken)
    {
        if (KillSwitchScope.PrincipalOf(scope) is null)
        {
            return scope;
        }

        var inForce = policies.Current.KillSwitches.Concat(await LoadAsync(cancellationToken)).Concat(_unsaved);
        return inForce.FirstOrDefault(s => string.Equals(s, scope, StringComparison.OrdinalIgnoreCase)) ?? scope;
    }

    // The store is safe to read concurrently; two racing reloads both write a fresh set.
    private async Task<ImmutableHashSet<string>> LoadAsync(CancellationToken cancellationToken)
    {
        var scopes = await store.LoadEngagedAsync(cancellationToken);
        var current = _runtime;

        // Keep the same set when nothing changed: the common case allocates nothing.
        var loaded = current is not null && current.Count == scopes.Count && scopes.All(current.Contains)
            ? current
            : scopes.ToImmutableHashSet(StringComparer.Ordinal);
        _runtime = loaded;
        Interlocked.Exchange(ref _loadedAt, time.GetTimestamp());
        return loaded;
    }
}
