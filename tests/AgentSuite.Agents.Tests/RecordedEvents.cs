using AgentSuite.Governance;

namespace AgentSuite.Agents.Tests;

/// <summary>A turn's event stream as a person watching it would see it, with a way to wait for one event.</summary>
public sealed class RecordedEvents : IGovernanceEventSink
{
    private readonly List<GovernanceEvent> _events = [];
    private readonly List<(Func<GovernanceEvent, bool> Match, TaskCompletionSource<GovernanceEvent> Seen)> _waiters = [];

    /// <summary>Runs synchronously inside <see cref="Publish"/>, i.e. at that exact point of the turn.</summary>
    public Action<GovernanceEvent>? OnPublish { get; init; }

    public IReadOnlyList<GovernanceEvent> All
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Publish(GovernanceEvent governanceEvent)
    {
        OnPublish?.Invoke(governanceEvent);
        lock (_events)
        {
            _events.Add(governanceEvent);
            foreach (var waiter in _waiters.Where(w => w.Match(governanceEvent)).ToList())
            {
                waiter.Seen.TrySetResult(governanceEvent);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first event (already published or still to come) that matches.</summary>
    public Task<GovernanceEvent> WaitForAsync(Func<GovernanceEvent, bool> match)
    {
        lock (_events)
        {
            var seen = _events.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var waiter = new TaskCompletionSource<GovernanceEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task;
        }
    }
}
