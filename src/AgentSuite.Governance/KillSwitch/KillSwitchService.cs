using System.Collections.Immutable;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.KillSwitch;

/// <summary>
/// The switches in force: those engaged in configuration plus those engaged at run time (persisted and audited).
/// A change made through this instance takes effect on its very next tool call, including calls in conversations
/// already under way. One made by another instance sharing the store: on a store with a switch version
/// (<see cref="IKillSwitchStore.GetVersionAsync"/>), on the next tool call this instance starts, since every call reads
/// the version and reloads the set when it moved; on a store without one, within <c>KillSwitch:RefreshInterval</c>.
/// A change announced on <see cref="StoreChanges"/> reloads the set at once either way.
/// </summary>
public sealed class KillSwitchService : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IKillSwitchStore _store;
    private readonly IAuditStore _audit;
    private readonly GovernancePolicyProvider _policies;
    private readonly TimeProvider _time;
    private readonly ILogger<KillSwitchService> _logger;
    private readonly IDisposable? _changes;
    private volatile Loaded? _loaded;
    private volatile ImmutableHashSet<string> _unsaved = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private int _announced;

    public KillSwitchService(IKillSwitchStore store, IAuditStore audit, GovernancePolicyProvider policies, TimeProvider time, ILogger<KillSwitchService> logger, StoreChanges? changes = null)
    {
        _store = store;
        _audit = audit;
        _policies = policies;
        _time = time;
        _logger = logger;
        _changes = changes?.Subscribe(OnStoreChange);
    }

    public void Dispose()
    {
        _changes?.Dispose();
        _gate.Dispose();
    }

    /// <summary>The engaged scope that stops this call, or null.</summary>
    public async ValueTask<string?> FindEngagedAsync(ToolCallContext context)
    {
        var runtime = await RuntimeAsync(context.Policy.Options.KillSwitch.RefreshInterval, context.CancellationToken);

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
        var policy = _policies.Current;
        var runtime = await RuntimeAsync(policy.Options.KillSwitch.RefreshInterval, cancellationToken);

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
        return new SortedSet<string>(_policies.Current.KillSwitches.Concat(runtime).Concat(_unsaved), StringComparer.Ordinal);
    }

    /// <summary>Every engaged scope with where it was engaged (<c>configuration</c> or <c>runtime</c>).</summary>
    public async Task<IReadOnlyList<KillSwitchState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var runtime = await LoadAsync(cancellationToken);
        var changes = (await _store.LoadEngagedChangesAsync(cancellationToken)).ToDictionary(c => c.Scope, StringComparer.Ordinal);
        var configured = _policies.Current.KillSwitches;
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

        if (!engaged && _policies.Current.KillSwitches.Contains(scope))
        {
            throw new InvalidOperationException($"'{scope}' is engaged in configuration (Governance:KillSwitch:Engaged); remove it there to release it.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            if (engaged)
            {
                // Stop first, then record: until the store has it, this instance holds the switch on its own, so a
                // failed write can never quietly release an engaged switch.
                _unsaved = _unsaved.Add(scope);
            }

            await _store.SetAsync(scope, engaged, changedBy.Name, now, reason, cancellationToken);
            _unsaved = _unsaved.Remove(scope);
            await _audit.AppendAsync(new AuditEntry("governance.kill_switch", now)
            {
                Principal = changedBy.Name,
                Decision = engaged ? "engaged" : "released",
                Reason = scope,
                Data = reason is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["reason"] = reason }),
            }, cancellationToken);
            await LoadAsync(cancellationToken);
            _logger.LogWarning("Kill switch {Scope} {State} by {Principal}", scope, engaged ? "engaged" : "released", changedBy.Name);
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

        var inForce = _policies.Current.KillSwitches.Concat(await LoadAsync(cancellationToken)).Concat(_unsaved);
        return inForce.FirstOrDefault(s => string.Equals(s, scope, StringComparison.OrdinalIgnoreCase)) ?? scope;
    }

    // The run-time set to judge a call by. With a version, one read says whether any instance changed a switch since
    // the set was loaded; without one, the set is reloaded every refresh interval, or at once after an announcement.
    private async ValueTask<ImmutableHashSet<string>> RuntimeAsync(TimeSpan refreshInterval, CancellationToken cancellationToken)
    {
        var loaded = _loaded;
        if (await _store.GetVersionAsync(cancellationToken) is { } version)
        {
            return loaded is not null && loaded.Version == version ? loaded.Scopes : await LoadAsync(version, cancellationToken);
        }

        return loaded is null || loaded.Announced != Volatile.Read(ref _announced) || _time.GetElapsedTime(loaded.At) >= refreshInterval
            ? await LoadAsync(null, cancellationToken)
            : loaded.Scopes;
    }

    private Task<ImmutableHashSet<string>> LoadAsync(CancellationToken cancellationToken) => LoadAsync(null, cancellationToken);

    // The version is read before the set, so the set is at least as new as the version it is kept under: a change
    // committed in between only makes the next call reload again, and is never missed. Concurrent reads are safe; two
    // racing reloads each keep a set no older than its version.
    private async Task<ImmutableHashSet<string>> LoadAsync(long? knownVersion, CancellationToken cancellationToken)
    {
        var announced = Volatile.Read(ref _announced);
        var version = knownVersion ?? await _store.GetVersionAsync(cancellationToken);
        var scopes = await _store.LoadEngagedAsync(cancellationToken);
        var current = _loaded?.Scopes;

        // Keep the same set when nothing changed: the common case allocates no new set.
        var set = current is not null && current.Count == scopes.Count && scopes.All(current.Contains)
            ? current
            : scopes.ToImmutableHashSet(StringComparer.Ordinal);
        _loaded = new Loaded(set, version, announced, _time.GetTimestamp());
        return set;
    }

    // Another instance engaged or released a switch, or notifications were lost: reload now rather than at the next call.
    private void OnStoreChange(StoreChange change)
    {
        if (change.Kind is StoreChangeKind.KillSwitchChanged or StoreChangeKind.Resync)
        {
            Interlocked.Increment(ref _announced);

            // Off the notifying thread: the listener's connection delivers the next notification meanwhile.
            _ = Task.Run(ReloadAsync);
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            await LoadAsync(null, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The next tool call reloads all the same: the announcement is still counted as unseen.
            _logger.LogWarning(ex, "A kill switch changed on another instance, but reloading the switches failed; the next tool call reloads them");
        }
    }

    /// <summary>The run-time switches as last read, with the store's version before the read and the announcements seen by then.</summary>
    private sealed record Loaded(ImmutableHashSet<string> Scopes, long? Version, int Announced, long At);
}
