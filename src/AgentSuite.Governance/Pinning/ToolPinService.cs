using System.Collections.Concurrent;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Configuration;

namespace AgentSuite.Governance.Pinning;

/// <summary>
/// Remembers the approved definition of every tool and blocks a tool whose definition changed (a "rug pull": same
/// name, new description or schema) until an admin re-approves it. Pins are cached; the store is the record, and a pin
/// another instance saved (announced on <see cref="StoreChanges"/>) is dropped from the cache so the next call re-reads it.
/// </summary>
public sealed class ToolPinService : IDisposable
{
    private readonly ConcurrentDictionary<string, ToolPin> _cache = new(StringComparer.Ordinal);
    private readonly IToolPinStore _store;
    private readonly IAuditStore _audit;
    private readonly TimeProvider _time;
    private readonly IDisposable? _changes;
    private int _forgotten;

    public ToolPinService(IToolPinStore store, IAuditStore audit, TimeProvider time, StoreChanges? changes = null)
    {
        _store = store;
        _audit = audit;
        _time = time;
        _changes = changes?.Subscribe(Forget);
    }

    public void Dispose() => _changes?.Dispose();

    /// <summary>Records the definition seen now and returns the pin to judge it by.</summary>
    public ValueTask<ToolPin> ObserveAsync(GovernedTool tool, PinningMode mode, CancellationToken cancellationToken = default) =>
        ObserveAsync(tool.Descriptor.Identity.Key, tool.DefinitionHash, tool.Definition, mode, cancellationToken);

    /// <summary>Records the definition seen now (its hash, and its canonical JSON when known) and returns the pin to judge it by.</summary>
    public async ValueTask<ToolPin> ObserveAsync(string tool, string definitionHash, string? definition, PinningMode mode, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(tool, out var cached) && string.Equals(cached.PinnedHash, definitionHash, StringComparison.Ordinal))
        {
            return cached;
        }

        var now = _time.GetUtcNow();
        var forgotten = Volatile.Read(ref _forgotten);
        var pin = await _store.GetAsync(tool, cancellationToken);
        if (pin is null)
        {
            var trusted = mode == PinningMode.TrustOnFirstUse;
            pin = new ToolPin(tool, trusted ? definitionHash : null, definitionHash, trusted ? "trust-on-first-use" : null, trusted ? now : null, now)
            {
                PinnedDefinition = trusted ? definition : null,
                ObservedDefinition = definition,
            };
            await _store.SaveAsync(pin, cancellationToken);
            await _audit.AppendAsync(new AuditEntry(trusted ? "governance.tool_pinned" : "governance.tool_observed", now)
            {
                Tool = tool,
                Principal = pin.ApprovedBy,
                Decision = trusted ? "pinned" : "unapproved",
                Reason = "sha256:" + definitionHash,
            }, cancellationToken);
        }
        else if (!string.Equals(pin.ObservedHash, definitionHash, StringComparison.Ordinal))
        {
            pin = pin with { ObservedHash = definitionHash, ObservedAt = now, ObservedDefinition = definition };
            await _store.SaveAsync(pin, cancellationToken);
        }
        else if (definition is not null && (pin.ObservedDefinition is null || (pin.PinnedDefinition is null && !pin.IsBlocked)))
        {
            // A pin kept before definitions were: the same hash means the same definition, so it can be filled in now.
            pin = pin with { ObservedDefinition = definition, PinnedDefinition = pin.IsBlocked ? pin.PinnedDefinition : definition };
            await _store.SaveAsync(pin, cancellationToken);
        }

        // Only good pins are cached; a blocked one is re-read each call so an approval made by another instance is seen.
        if (pin.IsBlocked)
        {
            _cache.TryRemove(tool, out _);
        }
        else if (forgotten == Volatile.Read(ref _forgotten))
        {
            // Not when a change arrived during the read: what was read may be older than it.
            _cache[tool] = pin;
        }

        return pin;
    }

    public Task<ToolPin?> GetAsync(string tool, CancellationToken cancellationToken = default) => _store.GetAsync(tool, cancellationToken);

    public Task<IReadOnlyList<ToolPin>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>An admin approves the definition last observed for <paramref name="tool"/>, or the one given by hash.</summary>
    public async Task<ToolPin> ApproveAsync(string tool, Principal admin, string? definitionHash = null, CancellationToken cancellationToken = default)
    {
        if (!admin.IsInRole(Roles.Admin))
        {
            throw new UnauthorizedAccessException($"'{admin.Name}' does not hold the '{Roles.Admin}' role and cannot approve tool definitions.");
        }

        var pin = await _store.GetAsync(tool, cancellationToken)
            ?? throw new KeyNotFoundException($"No tool '{tool}' has been seen yet; nothing to approve.");
        var hash = definitionHash ?? pin.ObservedHash;
        if (!string.Equals(hash, pin.ObservedHash, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{tool}' currently has definition sha256:{pin.ObservedHash}, not sha256:{hash}; approve what is served now.");
        }

        var now = _time.GetUtcNow();
        var approved = pin with { PinnedHash = hash, ApprovedBy = admin.Name, ApprovedAt = now, PinnedDefinition = pin.ObservedDefinition };
        await _store.SaveAsync(approved, cancellationToken);
        await _audit.AppendAsync(new AuditEntry("governance.tool_pinned", now)
        {
            Tool = tool,
            Principal = admin.Name,
            Decision = "pinned",
            Reason = "sha256:" + hash,
        }, cancellationToken);
        _cache[tool] = approved;
        return approved;
    }

    // Another instance saved this pin (or notifications were lost): the next call re-reads it from the store.
    private void Forget(StoreChange change)
    {
        if (change.Kind is StoreChangeKind.ToolPinChanged or StoreChangeKind.Resync)
        {
            Interlocked.Increment(ref _forgotten);
        }

        if (change.Kind == StoreChangeKind.ToolPinChanged)
        {
            _cache.TryRemove(change.Key, out _);
        }
        else if (change.Kind == StoreChangeKind.Resync)
        {
            _cache.Clear();
        }
    }
}
