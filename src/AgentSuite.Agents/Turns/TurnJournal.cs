using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Conversations;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Agents.Turns;

/// <summary>
/// Keeps one turn's checkpoint as it runs and writes it to the store at each step (a model response received, a tool
/// outcome recorded). Writes go out in the background within <see cref="CoalesceDelay"/>, the latest state winning, so
/// a fast turn does not wait on the disk; before a call that may have a side effect the journal is flushed, so a resumed
/// turn always knows about a call that might have run. It also numbers the turn's events and keeps them (without the text deltas) with the checkpoint.
/// </summary>
internal sealed class TurnJournal : IGovernanceEventSink
{
    private static readonly AsyncLocal<TurnJournal?> Ambient = new();

    /// <summary>
    /// How long a background write waits for more steps before it writes: a fast turn's steps become one write (or
    /// none, when the turn ends first and its end is written instead); a flush cuts the wait short.
    /// </summary>
    internal static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly ITurnStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IGovernanceEventSink? _live;
    private readonly TurnCheckpoint _checkpoint;
    private readonly List<AgentFrame> _stack = [];
    private readonly List<FrameCheckpoint> _restored = [];
    private TurnRecord _record;
    private long _version;
    private long _written;
    private bool _writing;
    private bool _ended;
    private Task _writer = Task.CompletedTask;
    private TaskCompletionSource _flushRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _urgent;
    private Exception? _lastFailure;
    private TurnLeaseLostException? _leaseLost;
    private Action? _onLeaseLost;

    public TurnJournal(TurnRecord record, TurnCheckpoint checkpoint, ITurnStore store, TimeProvider time, ILogger logger, IGovernanceEventSink? live)
    {
        _record = record;
        _checkpoint = checkpoint;
        _store = store;
        _time = time;
        _logger = logger;
        _live = live;
    }

    /// <summary>The journal of the turn running in this async flow, if it is a durable turn.</summary>
    public static TurnJournal? Current => Ambient.Value;

    public string ConversationId => _record.ConversationId;

    public string RunId => _record.RunId;

    public TurnCheckpoint Checkpoint => _checkpoint;

    /// <summary>Set once the store refused a write because another instance holds the turn now: nothing more is written.</summary>
    public TurnLeaseLostException? LeaseLost
    {
        get
        {
            lock (_gate)
            {
                return _leaseLost;
            }
        }
    }

    /// <summary>The claim of the turn this run holds (<see cref="TurnRecord.LeaseEpoch"/>).</summary>
    public long LeaseEpoch => _record.LeaseEpoch;

    /// <summary>
    /// On a leasing store, confirms in one write that this run still holds the turn's lease and extends it: the fence
    /// right before a call that may have a side effect, so a run whose turn was claimed elsewhere while it stalled stops
    /// instead of running the call a second time beside the claimant. Throws <see cref="TurnLeaseLostException"/> then.
    /// </summary>
    public async Task HoldLeaseAsync(CancellationToken cancellationToken)
    {
        if (!_store.LeasesTurns)
        {
            return;
        }

        TurnRecord record;
        lock (_gate)
        {
            if (_leaseLost is { } lost)
            {
                throw lost;
            }

            record = _record;
        }

        try
        {
            await _store.HoldLeaseAsync(record, cancellationToken);
        }
        catch (TurnLeaseLostException ex)
        {
            LoseLease(ex);
            throw;
        }
    }

    /// <summary>This instance claimed the turn again for a new run (its lease had run out meanwhile): this run stops and writes nothing more.</summary>
    public void Supersede(TurnRecord claimed) => LoseLease(new TurnLeaseLostException(claimed.RunId, $"a newer run of it on this instance (claim {claimed.LeaseEpoch})"));

    /// <summary>Calls <paramref name="stop"/> (once) when the turn's lease is found lost, so the run stops at its next step.</summary>
    public void OnLeaseLost(Action stop)
    {
        bool lost;
        lock (_gate)
        {
            _onLeaseLost = stop;
            lost = _leaseLost is not null;
        }

        if (lost)
        {
            stop();
        }
    }

    /// <summary>Passes an event to whoever watches the turn without keeping it (nothing is written once the lease is lost).</summary>
    public void PublishLive(GovernanceEvent governanceEvent) => _live?.Publish(governanceEvent);

    public IDisposable Enter()
    {
        var previous = Ambient.Value;
        Ambient.Value = this;
        return new Scope(previous);
    }

    /// <summary>Sets up a resumed turn: its saved agents are picked up again, outermost first, as their runs start.</summary>
    public void Restore(IEnumerable<FrameCheckpoint> frames)
    {
        lock (_gate)
        {
            _restored.AddRange(frames);
        }
    }

    /// <summary>
    /// Starts an agent's frame. For a resumed agent it is its saved frame: the history to run on, the response to replay
    /// (when its calls were not all answered) and the results already recorded for it.
    /// </summary>
    public AgentFrame Push(AgentRunContext run, IEnumerable<ChatMessage> given)
    {
        lock (_gate)
        {
            AgentFrame frame;
            var saved = _restored.FirstOrDefault(f => f.ParentToolCallId == run.ParentToolCallId && f.Agent == run.Agent);
            if (saved is not null)
            {
                _restored.Remove(saved);
                frame = AgentFrame.Resumed(saved);
            }
            else
            {
                frame = new AgentFrame(new FrameCheckpoint
                {
                    Agent = run.Agent,
                    ParentToolCallId = run.ParentToolCallId,
                    Callers = [.. run.Callers],
                    Messages = [.. given],
                });
            }

            _stack.Add(frame);
            SyncFrames();
            return frame;
        }
    }

    public void Pop(AgentFrame frame)
    {
        lock (_gate)
        {
            _stack.Remove(frame);
            SyncFrames();
        }
    }

    /// <summary>A model response with calls arrived: the frame's history is now everything the loop holds.</summary>
    public void ResponseReceived(AgentFrame frame, IList<ChatMessage> messages)
    {
        lock (_gate)
        {
            if (frame.BeginResponse(messages))
            {
                Progressed();
            }
        }

        Changed();
    }

    public void CallStarting(AgentFrame frame, string toolCallId, string tool)
    {
        lock (_gate)
        {
            frame.State.Pending = new PendingCall(toolCallId, tool);
        }
    }

    public void CallExecuting(AgentFrame frame, ToolCallContext context)
    {
        lock (_gate)
        {
            frame.State.Pending = (frame.State.Pending ?? new PendingCall(context.ToolCallId, context.Tool.Key)) with
            {
                ArgumentsHash = context.ArgumentsHash,
                IdempotencyKey = context.IdempotencyKey,
                ApprovalId = context.ApprovalId,
                Executing = true,
            };
        }
    }

    public void OutcomeRecorded(AgentFrame frame, string modelCallId, object? result)
    {
        JsonElement? element = result switch
        {
            null => null,
            JsonElement e => e,
            _ => JsonSerializer.SerializeToElement(result, TurnCheckpoint.Json),
        };
        lock (_gate)
        {
            frame.State.Results.Add(new RecordedResult(modelCallId, element));
            frame.State.Pending = null;
            Progressed();
        }

        Changed();
    }

    /// <summary>Numbers and keeps the event, passes it on to whoever watches the turn, and notes waits for a person.</summary>
    public void Publish(GovernanceEvent governanceEvent)
    {
        var save = false;
        lock (_gate)
        {
            var seq = ++_checkpoint.LastEventSeq;
            if (governanceEvent.Type != GovernanceEventTypes.MessageDelta)
            {
                _checkpoint.Events.Add(new RecordedEvent(seq, governanceEvent));
            }

            if (governanceEvent.Type == GovernanceEventTypes.ApprovalPending && _stack.Count > 0)
            {
                var top = _stack[^1].State;
                top.Pending = top.Pending is null ? null : top.Pending with { ApprovalId = governanceEvent.ApprovalId };
                _record = _record with { Status = TurnStatus.Waiting, ApprovalId = governanceEvent.ApprovalId };
                save = true;
            }
            else if (governanceEvent.Type == GovernanceEventTypes.ApprovalResolved && _record.Status == TurnStatus.Waiting)
            {
                _record = _record with { Status = TurnStatus.Running, ApprovalId = null };
                save = true;
            }
        }

        _live?.Publish(governanceEvent);
        if (save)
        {
            Changed();
        }
    }

    /// <summary>Writes the checkpoint now (a resumed turn's new resume count, before anything runs).</summary>
    public Task SaveNowAsync()
    {
        Changed();
        return FlushAsync();
    }

    /// <summary>Marks the turn as stopped by its host (not a crash), then writes it: a clean stop does not count as a failed resume.</summary>
    public Task StopCleanlyAsync()
    {
        lock (_gate)
        {
            _checkpoint.StoppedCleanly = true;
        }

        Changed();
        return FlushAsync();
    }

    /// <summary>Waits until everything recorded so far is in the store; throws when it cannot be written.</summary>
    public async Task FlushAsync()
    {
        long target;
        lock (_gate)
        {
            target = _version;
            _urgent = true;
            _flushRequested.TrySetResult();
        }

        while (true)
        {
            Task writer;
            lock (_gate)
            {
                if (_leaseLost is { } lost)
                {
                    throw lost;
                }

                if (_written >= target || _ended)
                {
                    return;
                }

                if (!_writing)
                {
                    if (_lastFailure is { } failure)
                    {
                        throw new InvalidOperationException($"The turn's checkpoint could not be written, so a call that may have side effects is not started: {failure.Message}", failure);
                    }

                    StartWriter();
                }

                writer = _writer;
            }

            await writer;
        }
    }

    /// <summary>
    /// Ends the turn in the store (its reply appended in the same write) after any checkpoint write in flight, then
    /// announces <paramref name="last"/>: whoever sees the turn end can read its reply.
    /// </summary>
    public async Task<bool> FinishAsync(string status, string? reason, ConversationMessage? reply, GovernanceEvent last)
    {
        Task writer;
        TurnRecord record;
        lock (_gate)
        {
            _ended = true;
            _flushRequested.TrySetResult();
            writer = _writer;
            _stack.Clear();
            _restored.Clear();
            _checkpoint.Frames.Clear();
            _checkpoint.Events.Add(new RecordedEvent(++_checkpoint.LastEventSeq, last));
            var now = _time.GetUtcNow();
            record = _record with { Status = status, Reason = reason, ApprovalId = null, UpdatedAt = now, EndedAt = now, State = _checkpoint.Serialize() };
        }

        await writer;
        if (LeaseLost is { } lost)
        {
            throw lost;
        }

        bool finished;
        try
        {
            finished = await _store.FinishAsync(record, reply, CancellationToken.None);
        }
        catch (TurnLeaseLostException ex)
        {
            LoseLease(ex);
            throw;
        }

        if (finished)
        {
            _live?.Publish(last);
        }
        else
        {
            _logger.LogWarning("Turn {RunId} of conversation {ConversationId} had already ended in the store; its {Status} was not recorded", record.RunId, record.ConversationId, status);
        }

        return finished;
    }

    private void Changed()
    {
        lock (_gate)
        {
            _version++;
            if (!_writing && !_ended)
            {
                StartWriter();
            }
        }
    }

    // Under _gate.
    private void StartWriter()
    {
        _writing = true;
        _lastFailure = null;
        _writer = Task.Run(WriteAsync);
    }

    private async Task WriteAsync()
    {
        while (true)
        {
            Task? flushRequested;
            lock (_gate)
            {
                if (_written >= _version || _ended)
                {
                    _writing = false;
                    return;
                }

                flushRequested = _urgent ? null : _flushRequested.Task;
            }

            if (flushRequested is not null)
            {
                await Task.WhenAny(Task.Delay(CoalesceDelay, _time), flushRequested);
            }

            long version;
            TurnRecord record;
            lock (_gate)
            {
                if (_written >= _version || _ended)
                {
                    _writing = false;
                    return;
                }

                _urgent = false;
                if (_flushRequested.Task.IsCompleted)
                {
                    _flushRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                version = _version;
                record = _record with { UpdatedAt = _time.GetUtcNow(), State = _checkpoint.Serialize() };
            }

            try
            {
                await _store.SaveAsync(record, CancellationToken.None);
            }
            catch (TurnLeaseLostException ex)
            {
                LoseLease(ex);
                lock (_gate)
                {
                    _writing = false;
                    return;
                }
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Could not write the checkpoint of turn {RunId} in conversation {ConversationId}", record.RunId, record.ConversationId);
                lock (_gate)
                {
                    _lastFailure = ex;
                    _writing = false;
                    return;
                }
            }

            lock (_gate)
            {
                _written = Math.Max(_written, version);
            }
        }
    }

    // Another instance runs the turn now: this one writes nothing more and stops its run.
    private void LoseLease(TurnLeaseLostException lost)
    {
        Action? stop;
        lock (_gate)
        {
            if (_leaseLost is not null)
            {
                return;
            }

            _leaseLost = lost;
            _ended = true;
            stop = _onLeaseLost;
        }

        stop?.Invoke();
    }

    // Under _gate: a new step. A turn that makes progress after a resume is no longer one that keeps stopping its process.
    private void Progressed()
    {
        _checkpoint.Step++;
        _checkpoint.Resumes = 0;
    }

    // Under _gate: the checkpoint's frames are the running agents, outermost first, then any saved agents of a resumed
    // turn not yet picked up again (so stopping again mid-resume loses none of them).
    private void SyncFrames()
    {
        _checkpoint.Frames.Clear();
        _checkpoint.Frames.AddRange(_stack.Select(f => f.State));
        _checkpoint.Frames.AddRange(_restored);
    }

    private sealed class Scope(TurnJournal? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
