using System.Threading.Channels;
using AgentSuite.Governance;

namespace AgentSuite.Api.Turns;

/// <summary>
/// Collects a turn's governance events in order, numbered, for the JSON answer and for a live event stream. The
/// stream ends when the turn does; the turn itself never depends on anyone reading it.
/// </summary>
internal sealed class TurnEventStream : IGovernanceEventSink
{
    private readonly Channel<TurnEvent> _live = Channel.CreateUnbounded<TurnEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<TurnEvent> _all = [];
    private long _seq;

    public ChannelReader<TurnEvent> Live => _live.Reader;

    public IReadOnlyList<TurnEvent> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public void Publish(GovernanceEvent e)
    {
        var text = e.Type is GovernanceEventTypes.MessageDelta or GovernanceEventTypes.MessageCompleted or GovernanceEventTypes.TurnCompleted;
        var item = new TurnEvent(Interlocked.Increment(ref _seq), e.Type, e.Agent, e.At)
        {
            Tool = e.Tool,
            ToolCallId = e.ToolCallId,
            Decision = e.Decision,
            Reason = text ? null : e.Reason,
            ApprovalId = e.ApprovalId,
            Text = text ? e.Reason : null,
        };
        lock (_all)
        {
            _all.Add(item);
            _live.Writer.TryWrite(item);
        }
    }

    /// <summary>Ends the live stream when <paramref name="turn"/> ends (and observes its failure, which the turn.failed event reports).</summary>
    public void EndWith(Task turn) =>
        turn.ContinueWith(t => _live.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
