using System.Collections.Concurrent;

namespace AgentSuite.Benchmarks;

/// <summary>Every call of one phase: its time, what kind of call it was, and how it ended (refusals and errors by reason).</summary>
internal sealed class FrontDoorTally
{
    private readonly Lock _gate = new();
    private readonly List<long> _ticks = new(16_384);

    public ConcurrentDictionary<string, int> CallsByKind { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Refusals { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

    public int Calls => CallsByKind.Values.Sum();

    public int RefusalCount => Refusals.Values.Sum();

    public int ErrorCount => Errors.Values.Sum();

    public long[] Ticks
    {
        get
        {
            lock (_gate)
            {
                return [.. _ticks];
            }
        }
    }

    public void Record(string kind, long ticks, FrontDoorOutcome outcome)
    {
        lock (_gate)
        {
            _ticks.Add(ticks);
        }

        CallsByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (outcome.Kind == FrontDoorOutcomeKind.Refused)
        {
            Refusals.AddOrUpdate(outcome.Reason, 1, (_, n) => n + 1);
        }
        else if (outcome.Kind == FrontDoorOutcomeKind.Error)
        {
            Errors.AddOrUpdate(outcome.Reason, 1, (_, n) => n + 1);
        }
    }

    /// <summary>An error found after the call, e.g. a retry of a key that answered differently from the first call.</summary>
    public void RecordError(string reason) => Errors.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
