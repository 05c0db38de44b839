using System.Collections.Concurrent;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.Approvals;

/// <summary>
/// Creates approval requests, waits for their decision, and takes decisions from approvers. Waiting is woken at once by
/// a decision made in this process or announced by another instance sharing the store (<see cref="StoreChanges"/>), and
/// re-reads the store on an interval as the fallback. Every request, decision and timeout is audited.
/// </summary>
public sealed class ApprovalService : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ApprovalRequest>> _waiters = new(StringComparer.Ordinal);
    private readonly IApprovalStore _store;
    private readonly IAuditStore _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<ApprovalService> _logger;
    private readonly ITurnStore? _turns;
    private readonly IApprovalNotifier? _notifier;
    private readonly IDisposable? _changes;

    public ApprovalService(
        IApprovalStore store,
        IAuditStore audit,
        TimeProvider time,
        ILogger<ApprovalService> logger,
        ITurnStore? turns = null,
        IApprovalNotifier? notifier = null,
        StoreChanges? changes = null)
    {
        _store = store;
        _audit = audit;
        _time = time;
        _logger = logger;
        _turns = turns;
        _notifier = notifier;
        _changes = changes?.Subscribe(OnStoreChange);
    }

    public void Dispose() => _changes?.Dispose();

    public Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> FindByToolCallAsync(string runId, string toolCallId, CancellationToken cancellationToken = default) =>
        _store.FindByToolCallAsync(runId, toolCallId, cancellationToken);

    /// <summary>Whether the conversation has an approval request of any status: its context is then an approver's to read.</summary>
    public Task<bool> AnyInConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        _store.AnyInConversationAsync(conversationId, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken = default) =>
        _store.ListAsync(status, cancellationToken);

    /// <summary>
    /// Stores and audits a new pending request, then tells the notifier (if any). If the audit cannot be written the
    /// request is withdrawn and this throws. A retried call that finds its request again does not come here, so
    /// approvers are told once per request.
    /// </summary>
    public async Task<ApprovalRequest> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        await _store.CreateAsync(request, cancellationToken);
        try
        {
            await _audit.AppendAsync(Entry(request, "approval.requested", null, request.RequestedBy, request.Reason, _time.GetUtcNow()), cancellationToken);
        }
        catch
        {
            await _store.TryResolveAsync(request.Id, ApprovalStatus.Denied, "system", "withdrawn: the audit log could not record the request", _time.GetUtcNow(), CancellationToken.None);
            throw;
        }

        AppMetrics.RecordApprovalRequest(request.Tool, request.Agent);
        try
        {
            _notifier?.Requested(request);
        }
        catch (Exception ex)
        {
            // Telling people is best effort: the request is on the record and in the inbox either way.
            _logger.LogWarning(ex, "Approval {ApprovalId} for {Tool} was requested, but approvers could not be notified", request.Id, request.Tool);
        }

        return request;
    }

    /// <summary>Waits until the request is decided or expires; expiry resolves it as timed out (deny).</summary>
    public async Task<ApprovalRequest> WaitAsync(ApprovalRequest request, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        var waiter = _waiters.GetOrAdd(request.Id, static _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            while (true)
            {
                var current = await _store.GetAsync(request.Id, cancellationToken) ?? request;
                if (current.Status != ApprovalStatus.Pending)
                {
                    return current;
                }

                var remaining = request.ExpiresAt - _time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                try
                {
                    return await waiter.Task.WaitAsync(remaining < pollInterval ? remaining : pollInterval, _time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll the store: another instance may have decided.
                }
            }

            var now = _time.GetUtcNow();
            var timedOut = request with { Status = ApprovalStatus.TimedOut, DecidedBy = "system", DecidedAt = now, Comment = "no decision before the timeout" };
            await _audit.AppendAsync(Entry(timedOut, "approval.resolved", "timed_out", "system", timedOut.Comment, now), CancellationToken.None);
            if (await _store.TryResolveAsync(request.Id, ApprovalStatus.TimedOut, "system", timedOut.Comment, now, CancellationToken.None))
            {
                return timedOut;
            }

            // A person decided in the last moment; their decision stands and the timeout entry is voided.
            await _audit.AppendAsync(Entry(timedOut, "approval.resolved", "void", "system", "Not applied: a decision arrived first.", _time.GetUtcNow()), CancellationToken.None);
            return await _store.GetAsync(request.Id, CancellationToken.None) ?? request;
        }
        finally
        {
            _waiters.TryRemove(new KeyValuePair<string, TaskCompletionSource<ApprovalRequest>>(request.Id, waiter));
        }
    }

    /// <summary>
    /// Records an approver's decision. Refused when the approver lacks the approver role, is the person who asked,
    /// or the request is no longer pending.
    /// </summary>
    public async Task<ApprovalRequest> DecideAsync(string id, Principal approver, bool approve, string? comment, CancellationToken cancellationToken = default)
    {
        var request = await _store.GetAsync(id, cancellationToken)
            ?? throw new ApprovalException(ApprovalErrorKind.NotFound, $"No approval request '{id}' exists.");
        if (!approver.IsInRole(Roles.Approver))
        {
            throw new ApprovalException(ApprovalErrorKind.NotAnApprover, $"'{approver.Name}' does not hold the '{Roles.Approver}' role and cannot decide approvals.");
        }

        if (approver.IsSamePersonAs(request.RequestedBy))
        {
            throw new ApprovalException(ApprovalErrorKind.SelfApproval, $"'{approver.Name}' asked for this call and cannot also approve it; another approver must decide.");
        }

        if (request.Status != ApprovalStatus.Pending)
        {
            throw AlreadyDecided(request);
        }

        // A decision nobody can carry out is refused, never accepted and dropped: the turn that asked has ended.
        if (_turns is not null && await _turns.GetAsync(request.RunId, cancellationToken) is { } turn && !TurnStatus.IsActive(turn.Status))
        {
            await WithdrawAsync(request, $"its turn {turn.RunId} ended as {turn.Status}", CancellationToken.None);
            throw new ApprovalException(ApprovalErrorKind.TurnEnded,
                $"Approval '{id}' cannot take effect: the turn that asked for it ({turn.RunId}) ended as {turn.Status}{(turn.Reason is { Length: > 0 } why ? $" ({why})" : "")}, so nothing would run the call. The request is withdrawn; ask the agent again if it is still wanted.");
        }

        if (_time.GetUtcNow() >= request.ExpiresAt)
        {
            // The call it would release has already been refused (or its waiter is gone): expired means denied.
            await _store.TryResolveAsync(id, ApprovalStatus.TimedOut, "system", "no decision before the timeout", _time.GetUtcNow(), CancellationToken.None);
            throw new ApprovalException(ApprovalErrorKind.AlreadyDecided, $"Approval '{id}' expired at {AuditChain.FormatTime(request.ExpiresAt)}; the call was not run. Ask the agent to try again if it is still wanted.");
        }

        // The decision is on the record before it takes effect: a waiting call that sees it in the store can only run
        // after this entry exists. If someone else resolves first, a second entry says this decision did not count.
        var now = _time.GetUtcNow();
        var status = approve ? ApprovalStatus.Approved : ApprovalStatus.Denied;
        var decided = request with { Status = status, DecidedBy = approver.Name, DecidedAt = now, Comment = comment };
        await _audit.AppendAsync(Entry(decided, "approval.resolved", approve ? "approved" : "denied", approver.Name, comment, now), cancellationToken);
        if (!await _store.TryResolveAsync(id, status, approver.Name, comment, now, CancellationToken.None))
        {
            var current = await _store.GetAsync(id, CancellationToken.None) ?? request;
            await _audit.AppendAsync(Entry(decided, "approval.resolved", "void", approver.Name, $"Not applied: already {current.Status} by {current.DecidedBy}.", _time.GetUtcNow()), CancellationToken.None);
            throw AlreadyDecided(current);
        }

        if (_waiters.TryGetValue(id, out var waiter))
        {
            waiter.TrySetResult(decided);
        }

        _logger.LogInformation("Approval {ApprovalId} for {Tool} {Decision} by {Approver}", id, request.Tool, status, approver.Name);
        return decided;
    }

    /// <summary>
    /// Resolves every pending request of a run as denied by the system, audited with <paramref name="why"/>: the turn that
    /// asked can no longer carry them out (it ended, or it was resumed from a step before they were asked).
    /// </summary>
    public async Task WithdrawPendingAsync(string runId, string why, Func<ApprovalRequest, bool>? keep = null, CancellationToken cancellationToken = default)
    {
        foreach (var request in await _store.FindPendingByRunAsync(runId, cancellationToken))
        {
            if (keep?.Invoke(request) != true)
            {
                await WithdrawAsync(request, why, cancellationToken);
            }
        }
    }

    private async Task WithdrawAsync(ApprovalRequest request, string why, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var comment = $"withdrawn: {why}";
        if (await _store.TryResolveAsync(request.Id, ApprovalStatus.Denied, "system", comment, now, cancellationToken))
        {
            await _audit.AppendAsync(Entry(request, "approval.resolved", "withdrawn", "system", comment, now), CancellationToken.None);
            if (_waiters.TryGetValue(request.Id, out var waiter))
            {
                waiter.TrySetResult(request with { Status = ApprovalStatus.Denied, DecidedBy = "system", DecidedAt = now, Comment = comment });
            }
        }
    }

    // Another instance resolved a request (or notifications were lost): a waiter here re-reads the store, off the
    // notification's thread, and is released when the request is no longer pending.
    private void OnStoreChange(StoreChange change)
    {
        if (change.Kind == StoreChangeKind.ApprovalResolved)
        {
            if (_waiters.TryGetValue(change.Key, out var waiter))
            {
                _ = Task.Run(() => WakeAsync(change.Key, waiter));
            }
        }
        else if (change.Kind == StoreChangeKind.Resync)
        {
            foreach (var (id, waiter) in _waiters)
            {
                _ = Task.Run(() => WakeAsync(id, waiter));
            }
        }
    }

    private async Task WakeAsync(string id, TaskCompletionSource<ApprovalRequest> waiter)
    {
        try
        {
            if (await _store.GetAsync(id, CancellationToken.None) is { Status: not ApprovalStatus.Pending } decided)
            {
                waiter.TrySetResult(decided);
            }
        }
        catch (Exception ex)
        {
            // The waiter polls the store on its interval all the same.
            _logger.LogWarning(ex, "Approval {ApprovalId} was resolved elsewhere, but reading it failed; its waiter will see it at its next poll", id);
        }
    }

    private static ApprovalException AlreadyDecided(ApprovalRequest current) => new(ApprovalErrorKind.AlreadyDecided,
        $"Approval '{current.Id}' was already resolved as {current.Status} by {current.DecidedBy ?? "nobody"}{(current.DecidedAt is { } at ? $" at {AuditChain.FormatTime(at)}" : "")}{(current.DecidedBy == "system" && current.Comment is { Length: > 0 } why ? $" ({why})" : "")}.");

    private static AuditEntry Entry(ApprovalRequest r, string kind, string? decision, string principal, string? reason, DateTimeOffset at) => new(kind, at)
    {
        ConversationId = r.ConversationId,
        RunId = r.RunId,
        Agent = r.Agent,
        Principal = principal,
        Tool = r.Tool,
        ToolCallId = r.ToolCallId,
        Decision = decision,
        Reason = reason,
        Data = JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["approvalId"] = r.Id,
            ["argumentsHash"] = r.ArgumentsHash,
            ["requestedBy"] = r.RequestedBy,
            ["expiresAt"] = AuditChain.FormatTime(r.ExpiresAt),
        }),
    };
}
