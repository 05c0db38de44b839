namespace AgentSuite.Governance.Approvals;

public interface IApprovalStore
{
    Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default);

    Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Requests made for one tool call (a retried call finds its earlier request here), oldest first.</summary>
    Task<IReadOnlyList<ApprovalRequest>> FindByToolCallAsync(string runId, string toolCallId, CancellationToken cancellationToken = default);

    /// <summary>Whether any request (of any status) was made in the conversation: an approver may then read it.</summary>
    Task<bool> AnyInConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken = default);

    /// <summary>The pending requests of one run, oldest first. A store that can should read only that run's (by index).</summary>
    async Task<IReadOnlyList<ApprovalRequest>> FindPendingByRunAsync(string runId, CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(ApprovalStatus.Pending, cancellationToken)).Where(r => string.Equals(r.RunId, runId, StringComparison.Ordinal))];

    /// <summary>
    /// Moves a pending request to <paramref name="status"/> atomically; returns false when it was no longer pending
    /// (someone else decided first, or it timed out).
    /// </summary>
    Task<bool> TryResolveAsync(string id, ApprovalStatus status, string decidedBy, string? comment, DateTimeOffset decidedAt, CancellationToken cancellationToken = default);
}
