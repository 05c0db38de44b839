using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace AgentSuite.Governance.Filters;

/// <summary>
/// Loop counters per run: the distinct tool calls made with each tool and arguments hash. A run's counters live exactly
/// as long as the run: every <see cref="AgentRunContext"/> of it (the top agent's and each specialist's) holds them, so
/// they are never dropped while an agent of the run is still going, however long it waits, and go with the last one.
/// The index by run id, through which a specialist's context finds its run's counters, holds them weakly; a sweep
/// removes the entries of ended runs.
/// </summary>
internal sealed class RunLoops
{
    private readonly ConditionalWeakTable<AgentRunContext, Counts> _held = new();
    private readonly ConcurrentDictionary<string, WeakReference<Counts>> _byRun = new(StringComparer.Ordinal);

    /// <summary>How many runs are indexed now, ended ones not yet swept included.</summary>
    public int Count => _byRun.Count;

    /// <summary>Counts <paramref name="toolCallId"/> (once, however often it is retried) and returns the calls so far.</summary>
    public int Add(AgentRunContext run, string tool, string argumentsHash, string toolCallId)
    {
        if (!_held.TryGetValue(run, out var counts))
        {
            counts = _held.GetValue(run, r => Of(r.RunId));
        }

        return counts.Add(tool, argumentsHash, toolCallId);
    }

    /// <summary>Removes the index entries of runs that have ended (their counters were collected with their contexts).</summary>
    public int ReleaseEnded()
    {
        var released = 0;
        foreach (var (run, weak) in _byRun)
        {
            if (!weak.TryGetTarget(out _) && _byRun.TryRemove(new KeyValuePair<string, WeakReference<Counts>>(run, weak)))
            {
                released++;
            }
        }

        return released;
    }

    private Counts Of(string runId)
    {
        while (true)
        {
            if (_byRun.TryGetValue(runId, out var weak))
            {
                if (weak.TryGetTarget(out var alive))
                {
                    return alive;
                }

                var renewed = new Counts();
                if (_byRun.TryUpdate(runId, new WeakReference<Counts>(renewed), weak))
                {
                    return renewed;
                }
            }
            else
            {
                var created = new Counts();
                if (_byRun.TryAdd(runId, new WeakReference<Counts>(created)))
                {
                    return created;
                }
            }
        }
    }

    private sealed class Counts
    {
        private readonly Dictionary<(string Tool, string ArgumentsHash), HashSet<string>> _calls = [];

        public int Add(string tool, string argumentsHash, string toolCallId)
        {
            lock (_calls)
            {
                if (!_calls.TryGetValue((tool, argumentsHash), out var ids))
                {
                    ids = new HashSet<string>(StringComparer.Ordinal);
                    _calls[(tool, argumentsHash)] = ids;
                }

                ids.Add(toolCallId);
                return ids.Count;
            }
        }
    }
}
