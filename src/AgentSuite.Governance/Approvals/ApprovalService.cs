using System.Collections.Concurrent;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.Approvals;

/// <summary>
/// Creates approval requests, waits for their decision, and takes decisions from approvers. Waiting is woken at once by
/// a decision made in this process and re-reads the store on an interval, so a decision made by another instance
/// sharing the store is seen too. Every request, decision and timeout is audited.
/// </summary>
public sealed class ApprovalService(
    IApprovalStore store,
    IAuditStore audit,
    TimeProvider time,
    ILogger<ApprovalService> logger,
    ITurnStore? turns = null,
    IApprovalNotifier? notifier = null)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ApprovalRequest>> _waiters = new(StringComparer.Ordinal);

    public Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> FindByToolCallAsync(string runId, string toolCallId, CancellationToken cancellationToken = default) =>
        store.FindByToolCallAsync(runId, toolCallId, cancellationToken);

    /// <summary>Whether the conversation has an approval request of any status: its context is then an approver's to read.</summary>
    public Task<bool> AnyInConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        store.AnyInConversationAsync(conversationId, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken = default) =>
        store.ListAsync(status, cancellationToken);

    /// <summary>
    /// Stores and audits a new pending request, then tells the notifier (if any). If the audit cannot be written the
    /// request is withdrawn and this throws. A retried call that finds its request again does not come here, so
    /// approvers are told once per request.
    /// </summary>
    public async Task<ApprovalRequest> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        await store.CreateAsync(request, cancellationToken);
        try
        {
            await audit.AppendAsync(Entry(request, "approval.requested", null, request.RequestedBy, request.Reason, time.GetUtcNow()), cancellationToken);
        }
        catch
        {
            await store.TryResolveAsync(request.Id, ApprovalStatus.Denied, "system", "withdrawn: the audit log could not record the request", time.GetUtcNow(), CancellationToken.None);
            throw;
        }

        AgentSuiteMetrics.RecordApprovalRequest(request.Tool, request.Agent);
        try
        {
            notifier?.Requested(request);
        }
        catch (Exception ex)
        {
            // Telling people is best effort: the request is on the record and in the inbox either way.
            logger.LogWarning(ex, "Approval {ApprovalId} for {Tool} was requested, but approvers could not be notified", request.Id, request.Tool);
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
                var current = await store.GetAsync(request.Id, cancellationToken) ?? request;
                if (current.Status != ApprovalStatus.Pending)
                {
                    return current;
                }

                var remaining = request.ExpiresAt - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                try
                {
                    return await waiter.Task.WaitAsync(remaining < pollInterval ? remaining : pollInterval, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll the store: another instance may have decided.
                }
            }

            var now = time.GetUtcNow();
            var timedOut = request with { Status = ApprovalStatus.TimedOut, DecidedBy = "system", DecidedAt = now, Comment = "no decision before the timeout" };
            await audit.AppendAsync(Entry(timedOut, "approval.resolved", "timed_out", "system", timedOut.Comment, now), CancellationToken.None);
            if (await store.TryResolveAsync(request.Id, ApprovalStatus.TimedOut, "system", timedOut.Comment, now, CancellationToken.None))
            {
                return timedOut;
            }

            // A person decided in the last moment; their decision stands and the timeout entry is voided.
            await audit.AppendAsync(Entry(timedOut, "approval.resolved", "void", "system", "Not applied: a decision arrived first.", time.GetUtcNow()), CancellationToken.None);
            return await store.GetAsync(request.Id, CancellationToken.None) ?? request;
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
        var request = await store.GetAsync(id, cancellationToken)
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
        if (turns is not null && await turns.GetAsync(request.RunId, cancellationToken) is { } turn && !TurnStatus.IsActive(turn.Status))
        {
            await WithdrawAsync(request, $"its turn {turn.RunId} ended as {turn.Status}", CancellationToken.None);
            throw new ApprovalException(ApprovalErrorKind.TurnEnded,
                $"Approval '{id}' cannot take effect: the turn that asked for it ({turn.RunId}) ended as {turn.Status}{(turn.Reason is { Length: > 0 } why ? $" ({why})" : "")}, so nothing would run the call. The request is withdrawn; ask the agent again if it is still wanted.");
        }

        if (time.GetUtcNow() >= request.ExpiresAt)
        {
            // The call it would release has already been refused (or its waiter is gone): expired means denied.
            await store.TryResolveAsync(id, ApprovalStatus.TimedOut, "system", "no decision before the timeout", time.GetUtcNow(), CancellationToken.None);
            throw new ApprovalException(ApprovalErrorKind.AlreadyDecided, $"Approval '{id}' expired at {AuditChain.FormatTime(request.ExpiresAt)}; the call was not run. Ask the agent to try again if it is still wanted.");
        }

        // The decision is on the record before it takes effect: a waiting call that sees it in the store can only run
        // after this entry exists. If someone else resolves first, a second entry says this decision did not count.
        var now = time.GetUtcNow();
        var status = approve ? ApprovalStatus.Approved : ApprovalStatus.Denied;
        var decided = request with { Status = status, DecidedBy = approver.Name, DecidedAt = now, Comment = comment };
        await audit.AppendAsync(Entry(decided, "approval.resolved", approve ? "approved" : "denied", approver.Name, comment, now), cancellationToken);
        if (!await store.TryResolveAsync(id, status, approver.Name, comment, now, CancellationToken.None))
        {
            var current = await store.GetAsync(id, CancellationToken.None) ?? request;
            await audit.AppendAsync(Entry(decided, "approval.resolved", "void", approver.Name, $"Not applied: already {current.Status} by {current.DecidedBy}.", time.GetUtcNow()), CancellationToken.None);
            throw AlreadyDecided(current);
        }

        if (_waiters.TryGetValue(id, out var waiter))
        {
            waiter.TrySetResult(decided);
        }

        logger.LogInformation("Approval {ApprovalId} for {Tool} {Decision} by {Approver}", id, request.Tool, status, approver.Name);
        return decided;
    }

    /// <summary>
    /// Resolves every pending request of a run as denied by the system, audited with <paramref name="why"/>: the turn that
    /// asked can no longer carry them out (it ended, or it was resumed from a step before they were asked).
    /// </summary>
    public async Task WithdrawPendingAsync(string runId, string why, Func<ApprovalRequest, bool>? keep = null, CancellationToken cancellationToken = default)
    {
        foreach (var request in await store.ListAsync(ApprovalStatus.Pending, cancellationToken))
        {
            if (string.Equals(request.RunId, runId, StringComparison.Ordinal) && keep?.Invoke(request) != true)
            {
                await WithdrawAsync(request, why, cancellationToken);
            }
        }
    }

    private async Task WithdrawAsync(ApprovalRequest request, string why, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var comment = $"withdrawn: {why}";
        if (await store.TryResolveAsync(request.Id, ApprovalStatus.Denied, "system", comment, now, cancellationToken))
        {
            await audit.AppendAsync(Entry(request, "approval.resolved", "withdrawn", "system", comment, now), CancellationToken.None);
            if (_waiters.TryGetValue(request.Id, out var waiter))
            {
                waiter.TrySetResult(request with { Status = ApprovalStatus.Denied, DecidedBy = "system", DecidedAt = now, Comment = comment });
            }
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
