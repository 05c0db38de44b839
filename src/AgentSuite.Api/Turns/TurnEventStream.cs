using AgentSuite.Agents.Turns;
using AgentSuite.Governance;

namespace AgentSuite.Api.Turns;

/// <summary>
/// A turn's events in order, numbered, for the JSON answer and for any number of event-stream readers, who may join at
/// any point (a person reconnecting names the last event they saw). A resumed turn's stream starts with the events its
/// checkpoint kept, under their original numbers. The stream ends when the turn does; the turn never depends on a reader.
/// </summary>
internal sealed class TurnEventStream : IGovernanceEventSink
{
    private readonly object _gate = new();
    private readonly List<TurnEvent> _all = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _seq;
    private bool _ended;

    public TurnEventStream(string? runId = null, IEnumerable<RecordedEvent>? recorded = null, long lastSeq = 0)
    {
        RunId = runId;
        _all.AddRange((recorded ?? []).Select(r => TurnEvent.From(r.Seq, r.Event)));
        _seq = lastSeq;
    }

    /// <summary>The turn's run id, once it is known (a new turn's is given when it has started).</summary>
    public string? RunId { get; set; }

    public IReadOnlyList<TurnEvent> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>An ended stream of a turn's recorded events (a turn that is not running in this process).</summary>
    public static TurnEventStream Recorded(string runId, IEnumerable<RecordedEvent> recorded, long lastSeq)
    {
        var stream = new TurnEventStream(runId, recorded, lastSeq);
        stream.End();
        return stream;
    }

    public void Publish(GovernanceEvent e)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _all.Add(TurnEvent.From(++_seq, e));
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>The events numbered after <paramref name="afterSeq"/>, whether the turn has ended, and a task that completes on the next change.</summary>
    public (IReadOnlyList<TurnEvent> Events, bool Ended, Task Changed) After(long afterSeq)
    {
        lock (_gate)
        {
            return ([.. _all.Where(e => e.Seq > afterSeq)], _ended, _changed.Task);
        }
    }

    public void End()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _ended = true;
            changed = _changed;
        }

        changed.TrySetResult();
    }

    /// <summary>Ends the stream when <paramref name="turn"/> ends (and observes its failure, which the turn.failed event reports).</summary>
    public void EndWith(Task turn) =>
        turn.ContinueWith(_ => End(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
