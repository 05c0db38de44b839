using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.Cluster;

/// <summary>
/// Where changes made by other instances arrive (a shared store's notifications, e.g. PostgreSQL's LISTEN/NOTIFY) for the
/// services that cache or wait: approvals wake their waiters, the kill switch reloads its set, pins drop their cache.
/// A hint only: each service still reads the store for the truth, and keeps its own polling as the fallback, so a lost
/// notification delays a change but never loses it. On a store of one process nothing publishes here.
/// </summary>
public sealed class StoreChanges(ILogger<StoreChanges> logger)
{
    private readonly Lock _gate = new();
    private Action<StoreChange>[] _handlers = [];

    /// <summary>Calls <paramref name="handler"/> for every change published until the returned handle is disposed. Handlers must be quick and must not block.</summary>
    public IDisposable Subscribe(Action<StoreChange> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    /// <summary>Hands <paramref name="change"/> to every subscriber; one that throws is logged and does not stop the others.</summary>
    public void Publish(StoreChange change)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A handler of the store change {Kind} {Key} failed", change.Kind, change.Key);
            }
        }
    }

    private void Unsubscribe(Action<StoreChange> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers.Where(h => h != handler)];
        }
    }

    private sealed class Subscription(StoreChanges owner, Action<StoreChange> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}
