using System.Collections.Concurrent;
using System.Text.Json;
using AgentSuite.Agents.Turns;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSuite.Agents;

/// <summary>
/// Conversations with the coordinator. A turn starts by storing the user's message and the turn in one write (nothing a
/// user sent is lost, and a conversation has one turn at a time, whichever process asks), runs the coordinator on the
/// whole history under a new run id with its checkpoint kept at every step, and ends by storing the reply and the turn's
/// end in one write. A turn whose process stopped is resumed from its checkpoint by <see cref="ResumeAsync"/>.
/// </summary>
public sealed class ConversationService(
    IConversationStore store,
    ITurnStore turns,
    AgentRunner runner,
    AgentCatalog agents,
    ApprovalService approvals,
    IAuditStore audit,
    IOptions<AgentsOptions> options,
    TimeProvider time,
    ILogger<ConversationService> logger,
    AgentSuite.Governance.Budgets.TokenBudgetService? budgets = null,
    AgentSuite.Governance.Admission.TurnAdmission? admission = null)
{
    // The turns running in this process, by their journals (a turn claimed back for a new run may briefly run twice here).
    private readonly ConcurrentDictionary<TurnJournal, byte> _running = new();

    // The turns a host stop left unfinished here (their latest step written), whose leases a clean stop releases.
    private readonly ConcurrentDictionary<string, byte> _stopped = new(StringComparer.Ordinal);

    /// <summary>
    /// The run ids of the turns this process actually runs and still holds: on a leasing store, the leases to renew. A
    /// turn whose run ended here without ending in the store is not among them, so its lease expires and it is claimed.
    /// </summary>
    public IReadOnlyCollection<string> RunningTurnIds =>
        _running.Keys.Where(j => j.LeaseLost is null).Select(j => j.RunId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The run ids of the turns the host's stopping token stopped here, left unfinished with their latest step written.</summary>
    public IReadOnlyCollection<string> StoppedTurnIds => [.. _stopped.Keys];

    /// <summary>
    /// This process claimed <paramref name="claimed"/> (its lease had expired): a run of that turn still going here holds
    /// an older claim, which the store no longer accepts, so it stops now without writing more and the claim is resumed
    /// fresh. Returns how many such runs were stopped.
    /// </summary>
    public int StopOlderRuns(TurnRecord claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var stale = _running.Keys.Where(j => j.RunId == claimed.RunId && j.LeaseEpoch < claimed.LeaseEpoch).ToList();
        foreach (var journal in stale)
        {
            journal.Supersede(claimed);
        }

        return stale.Count;
    }

    public async Task<Conversation> CreateAsync(Principal owner, CancellationToken cancellationToken = default)
    {
        var id = "conv_" + Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        await store.CreateAsync(id, owner.Name, owner.Subject, now, cancellationToken);
        return new Conversation(id, owner.Name, now, []) { CreatedBySubject = owner.Subject };
    }

    public Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default) => store.GetAsync(id, cancellationToken);

    /// <summary>One page of conversations, newest first, each with its latest turn.</summary>
    public Task<IReadOnlyList<ConversationSummary>> ListAsync(ConversationQuery query, CancellationToken cancellationToken = default) =>
        store.ListAsync(query, cancellationToken);

    /// <summary>The conversation's latest turn, running or ended, or null before its first.</summary>
    public Task<TurnRecord?> GetLatestTurnAsync(string conversationId, CancellationToken cancellationToken = default) =>
        turns.GetLatestAsync(conversationId, cancellationToken);

    /// <summary>Every running or waiting turn, whichever process runs it.</summary>
    public Task<IReadOnlyList<TurnRecord>> ListActiveTurnsAsync(CancellationToken cancellationToken = default) =>
        turns.ListActiveAsync(cancellationToken);

    /// <summary>
    /// The unfinished turns this process should resume now: on a store of one process every active turn; on a store
    /// shared by instances the ones whose instance stopped renewing its lease, now leased to this one.
    /// </summary>
    public Task<IReadOnlyList<TurnRecord>> ClaimUnfinishedTurnsAsync(CancellationToken cancellationToken = default) =>
        turns.ClaimUnfinishedAsync(cancellationToken);

    /// <summary>The events a turn has recorded so far (without text deltas), and the number of the last one published.</summary>
    public static (IReadOnlyList<RecordedEvent> Events, long LastSeq) EventsOf(TurnRecord turn)
    {
        try
        {
            var checkpoint = TurnCheckpoint.Read(turn.State);
            return (checkpoint.Events, checkpoint.LastEventSeq);
        }
        catch (InvalidDataException)
        {
            return ([], 0);
        }
    }

    /// <summary>Runs one turn to its end: the reply, or the exception that failed it.</summary>
    public async Task<TurnResult> SendAsync(string conversationId, Principal principal, string text, IGovernanceEventSink? events = null, CancellationToken cancellationToken = default) =>
        await (await StartAsync(conversationId, principal, text, events, cancellationToken)).Completion;

    /// <summary>
    /// Starts a turn and returns once it is on the record, with the task of its run: a caller learns at once whether the
    /// conversation was busy (<see cref="ConversationBusyException"/>) or unknown (<see cref="KeyNotFoundException"/>).
    /// </summary>
    public Task<StartedTurn> StartAsync(string conversationId, Principal principal, string text, IGovernanceEventSink? events = null, CancellationToken cancellationToken = default) =>
        StartAsync(conversationId, options.Value.Coordinator, principal, text, events, cancellationToken);

    /// <summary>
    /// Starts a turn answered by <paramref name="agent"/> (an agent served over MCP) instead of the coordinator. A
    /// principal that has spent its daily token budget gets no turn (<see cref="AgentSuite.Governance.Budgets.TokenBudgetExceededException"/>),
    /// nor does one stopped by a kill switch or any principal while the governance policy is in error
    /// (<see cref="AgentSuite.Governance.Admission.TurnRefusedException"/>): checked here, so both doors (MCP and HTTP) are covered.
    /// </summary>
    public async Task<StartedTurn> StartAsync(string conversationId, string agent, Principal principal, string text, IGovernanceEventSink? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        if (admission is not null)
        {
            await admission.ThrowIfRefusedAsync(principal, conversationId, agent, cancellationToken);
        }

        if (budgets is not null)
        {
            await budgets.ThrowIfExceededAsync(principal, "turn", new AgentRunContext(conversationId, "", agent, principal), cancellationToken);
        }

        var coordinator = agent;
        var now = time.GetUtcNow();
        var checkpoint = new TurnCheckpoint { Coordinator = coordinator, Principal = principal.Name, Roles = [.. principal.Roles.Order(StringComparer.Ordinal)], Subject = principal.Subject, Via = principal.Via };
        var record = new TurnRecord(conversationId, "run_" + Guid.NewGuid().ToString("N"), principal.Name, TurnStatus.Running, now) { UpdatedAt = now, State = checkpoint.Serialize() };
        if (!await turns.TryStartAsync(record, new ConversationMessage("user", null, text, now), cancellationToken))
        {
            throw new ConversationBusyException(conversationId);
        }

        var journal = new TurnJournal(record, checkpoint, turns, time, logger, events);
        var history = await HistoryAsync(conversationId);
        return new StartedTurn(record.RunId, RunAsync(journal, principal, history, cancellationToken));
    }

    /// <summary>
    /// Picks up a turn whose process stopped: its agents re-enter from their saved frames, innermost first in effect (each
    /// outer agent waits on its hand-off while the inner one finishes); the call each was on is governed again under its
    /// original id, so an approval decided meanwhile applies, a side effect that completed is replayed, and one whose outcome
    /// is unknown is never run again. A checkpoint that cannot be resumed ends the turn as abandoned. Returns null then.
    /// </summary>
    public async Task<TurnResult?> ResumeAsync(TurnRecord record, IGovernanceEventSink? events = null, CancellationToken cancellationToken = default)
    {
        TurnCheckpoint checkpoint;
        try
        {
            checkpoint = TurnCheckpoint.Read(record.State);
            if (Unresumable(checkpoint) is { } why)
            {
                throw new InvalidDataException(why);
            }
        }
        catch (InvalidDataException ex)
        {
            await AbandonAsync(record, ex.Message, events);
            return null;
        }
        catch (TurnLeaseLostException ex)
        {
            Moved(record.ConversationId, record.RunId, ex, events);
            throw;
        }

        // A crash counts against the turn until it makes progress again; a host stopping it (a deploy) does not.
        var stoppedCleanly = checkpoint.StoppedCleanly;
        if (!stoppedCleanly)
        {
            checkpoint.Resumes++;
        }

        checkpoint.StoppedCleanly = false;
        checkpoint.LastEventSeq += TurnCheckpoint.ResumeSeqGap;
        var principal = checkpoint.ToPrincipal();
        var running = record with { Status = TurnStatus.Running, ApprovalId = null };
        var journal = new TurnJournal(running, checkpoint, turns, time, logger, events);
        var resumable = ResumableCalls(checkpoint);
        List<ChatMessage> history;
        try
        {
            await journal.SaveNowAsync();
            await audit.AppendAsync(ResumedEntry(record, checkpoint, principal, resumable, stoppedCleanly), cancellationToken);

            // Approvals asked after the last checkpoint belong to calls the model will make again under new ids: nobody would run them.
            await approvals.WithdrawPendingAsync(record.RunId, "its turn was resumed from a step before this call, so the model is asked again", r => resumable.Contains(r.ToolCallId), cancellationToken);
            history = await HistoryAsync(record.ConversationId);
        }
        catch (TurnLeaseLostException ex)
        {
            Moved(record.ConversationId, record.RunId, ex, events);
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync(record, $"resuming it failed: {ex.Message}", events);
            return null;
        }

        journal.Restore(checkpoint.Frames);
        journal.Publish(new GovernanceEvent(GovernanceEventTypes.TurnResumed, checkpoint.Coordinator, null, null, time.GetUtcNow()) { Reason = $"resumed from step {checkpoint.Step}" });
        return await RunAsync(journal, principal, history, cancellationToken);
    }

    private AuditEntry ResumedEntry(TurnRecord record, TurnCheckpoint checkpoint, Principal principal, HashSet<string> resumable, bool stoppedCleanly) =>
        new(GovernanceEventTypes.TurnResumed, time.GetUtcNow())
        {
            ConversationId = record.ConversationId,
            RunId = record.RunId,
            Agent = checkpoint.Coordinator,
            Principal = principal.Name,
            Reason = $"Resumed from step {checkpoint.Step} (checkpoint of {AuditChain.FormatTime(record.UpdatedAt)}) after the process running it stopped; "
                + (checkpoint.Frames.Count == 0 ? "no model response had been recorded." : $"agents {string.Join(" -> ", checkpoint.Frames.Select(f => f.Agent))}."),
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["step"] = checkpoint.Step,
                ["resumes"] = checkpoint.Resumes,
                ["agents"] = checkpoint.Frames.Select(f => f.Agent).ToList(),
                ["pendingCalls"] = resumable.Order(StringComparer.Ordinal).ToList(),

                // Calls answered before the stop: the resumed agents read these recorded results; they do not run again.
                ["answeredCalls"] = checkpoint.Frames.SelectMany(f => f.Results.Select(r => AgentRunContext.ToolCallId(f.ParentToolCallId, r.CallId))).ToList(),
                ["approvalId"] = record.ApprovalId,
                ["stoppedCleanly"] = stoppedCleanly,
            }),
        };

    private async Task<TurnResult> RunAsync(TurnJournal journal, Principal principal, List<ChatMessage> history, CancellationToken cancellationToken)
    {
        var coordinator = journal.Checkpoint.Coordinator;
        // The turn's own message is the conversation's last user message: a conversation runs one turn at a time.
        var request = history.LastOrDefault(m => m.Role == ChatRole.User)?.Text;

        // Stopped by the host (the token), or at its next step once another instance has taken the turn over.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        journal.OnLeaseLost(stop.Cancel);
        var run = new AgentRunContext(journal.ConversationId, journal.RunId, coordinator, principal) { Request = request, Events = journal, Checkpoint = _ => journal.FlushAsync(), HoldLease = journal.HoldLeaseAsync };
        var clock = time.GetTimestamp();
        var outcome = "cancelled";
        _running[journal] = 0;
        try
        {
            AgentRunResult result;
            using (journal.Enter())
            {
                result = await runner.RunAsync(coordinator, run, history, stop.Token);
            }

            var at = time.GetUtcNow();
            await journal.FinishAsync(TurnStatus.Completed, null, new ConversationMessage("assistant", coordinator, result.Text, at),
                new GovernanceEvent(GovernanceEventTypes.TurnCompleted, coordinator, null, null, at) { Reason = result.Text });
            outcome = "completed";
            return new TurnResult(journal.ConversationId, journal.RunId, result.Text);
        }
        catch (Exception) when (journal.LeaseLost is { } lost)
        {
            outcome = "moved";
            throw Moved(journal.ConversationId, journal.RunId, lost, journal);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the host shutting down (whatever that made the run throw): the turn stays unfinished, its latest
            // step written, to be resumed.
            await WhileLeasedAsync(journal, journal.StopCleanlyAsync);
            _stopped[journal.RunId] = 0;
            throw;
        }
        catch (Exception ex) when (ModelNoAnswerException.Find(ex) is { } miss)
        {
            // A model has no answer (the mock's script missed, or a remote agent's model did), in whichever agent: the customer is told so plainly and the turn fails, its
            // reason (and the log) carrying the detail a developer needs to add the missing rule or value.
            outcome = "failed";
            logger.LogWarning("Turn {RunId} of conversation {ConversationId} failed: {Detail}", journal.RunId, journal.ConversationId, miss.Message);
            var at = time.GetUtcNow();
            await WhileLeasedAsync(journal, () => journal.FinishAsync(TurnStatus.Failed, miss.Message, new ConversationMessage("assistant", coordinator, miss.Reply, at),
                new GovernanceEvent(GovernanceEventTypes.TurnFailed, coordinator, null, null, at) { Reason = miss.Message, Reply = miss.Reply }));
            await approvals.WithdrawPendingAsync(journal.RunId, $"its turn failed: {miss.Message}", cancellationToken: CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            // A turn stopped by the host shutting down (the token) is left active, to be resumed; any other failure ends it.
            outcome = "failed";
            await WhileLeasedAsync(journal, () => journal.FinishAsync(TurnStatus.Failed, ex.Message, null,
                new GovernanceEvent(GovernanceEventTypes.TurnFailed, coordinator, null, null, time.GetUtcNow()) { Reason = ex.Message }));
            await approvals.WithdrawPendingAsync(journal.RunId, $"its turn failed: {ex.Message}", cancellationToken: CancellationToken.None);
            throw;
        }
        finally
        {
            _running.TryRemove(journal, out _);
            AppMetrics.RecordTurn(time.GetElapsedTime(clock), coordinator, outcome);
        }
    }

    /// <summary>Runs a last write of the turn; if the store says another instance holds it now, stops quietly instead.</summary>
    private async Task WhileLeasedAsync(TurnJournal journal, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (TurnLeaseLostException lost)
        {
            throw Moved(journal.ConversationId, journal.RunId, lost, journal);
        }
    }

    /// <summary>
    /// Another instance took the turn over (this one's lease expired): it stops here without writing anything, since the
    /// turn goes on there from its checkpoint; whoever watches it here is told where it went.
    /// </summary>
    private TurnLeaseLostException Moved(string conversationId, string runId, TurnLeaseLostException lost, IGovernanceEventSink? events)
    {
        logger.LogWarning("Turn {RunId} of conversation {ConversationId} is now run by {Holder}; this instance stopped it without writing more (its lease expired)",
            runId, conversationId, lost.Holder ?? "another instance");
        var moved = new GovernanceEvent(GovernanceEventTypes.TurnMoved, options.Value.Coordinator, null, null, time.GetUtcNow())
        {
            Reason = $"The turn moved to {lost.Holder ?? "another instance"}, which goes on with it from its last step; read its outcome from the conversation.",
        };
        if (events is TurnJournal journal)
        {
            journal.PublishLive(moved);
        }
        else
        {
            events?.Publish(moved);
        }

        return lost;
    }

    private async Task<List<ChatMessage>> HistoryAsync(string conversationId)
    {
        var conversation = await store.GetAsync(conversationId, CancellationToken.None)
            ?? throw new KeyNotFoundException($"No conversation '{conversationId}' exists; create one first.");
        return conversation.Messages.Select(m => new ChatMessage(m.Role == "user" ? ChatRole.User : ChatRole.Assistant, m.Text)).ToList();
    }

    private string? Unresumable(TurnCheckpoint checkpoint)
    {
        if (checkpoint.Resumes >= options.Value.MaximumResumes)
        {
            return $"it was resumed {checkpoint.Resumes} times and stopped each time (Agents:MaximumResumes is {options.Value.MaximumResumes})";
        }

        if (!agents.Agents.ContainsKey(checkpoint.Coordinator))
        {
            return $"its coordinator '{checkpoint.Coordinator}' is no longer defined";
        }

        return checkpoint.Frames.FirstOrDefault(f => !agents.Agents.ContainsKey(f.Agent)) is { } gone
            ? $"its agent '{gone.Agent}' is no longer defined"
            : null;
    }

    /// <summary>The governance ids of the calls each saved agent had not seen answered: the calls the resumed turn governs again.</summary>
    private static HashSet<string> ResumableCalls(TurnCheckpoint checkpoint) =>
        checkpoint.Frames
            .SelectMany(f => AgentFrame.Unanswered(f).Select(id => AgentRunContext.ToolCallId(f.ParentToolCallId, id)))
            .ToHashSet(StringComparer.Ordinal);

    private async Task AbandonAsync(TurnRecord record, string why, IGovernanceEventSink? events)
    {
        var now = time.GetUtcNow();
        logger.LogError("Turn {RunId} of conversation {ConversationId} cannot be resumed and is abandoned: {Reason}", record.RunId, record.ConversationId, why);
        await audit.AppendAsync(new AuditEntry(GovernanceEventTypes.TurnAbandoned, now)
        {
            ConversationId = record.ConversationId,
            RunId = record.RunId,
            Principal = record.Principal,
            Reason = $"Not resumed: {why}.",
        }, CancellationToken.None);
        // The trail ends with turn.failed, kept with what could be read of the checkpoint, so a reader who comes later sees the end too.
        var failed = new GovernanceEvent(GovernanceEventTypes.TurnFailed, options.Value.Coordinator, null, null, now) { Reason = $"The turn was abandoned: {why}." };
        TurnCheckpoint trail;
        try
        {
            trail = TurnCheckpoint.Read(record.State);
        }
        catch (InvalidDataException)
        {
            trail = new TurnCheckpoint { Coordinator = options.Value.Coordinator, Principal = record.Principal };
        }

        trail.Frames.Clear();
        trail.LastEventSeq += TurnCheckpoint.ResumeSeqGap + 1;
        trail.Events.Add(new RecordedEvent(trail.LastEventSeq, failed));
        try
        {
            await turns.FinishAsync(record with { Status = TurnStatus.Abandoned, Reason = why, UpdatedAt = now, EndedAt = now, State = trail.Serialize() }, null, CancellationToken.None);
        }
        catch (TurnLeaseLostException lost)
        {
            // Another instance claimed it meanwhile: it decides for itself whether the turn can go on.
            Moved(record.ConversationId, record.RunId, lost, events);
            return;
        }

        await approvals.WithdrawPendingAsync(record.RunId, $"its turn was abandoned: {why}", cancellationToken: CancellationToken.None);
        events?.Publish(failed);
    }
}
