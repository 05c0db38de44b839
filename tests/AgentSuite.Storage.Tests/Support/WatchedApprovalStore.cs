using System.Collections.Concurrent;
using AgentSuite.Governance.Approvals;

namespace AgentSuite.Storage.Tests.Support;

/// <summary>
/// The real approval store, passed through, telling a test when a request was first read back: a test that must show a
/// waiter released by a notification decides only after the waiter's own first read, which would otherwise see it.
/// </summary>
public sealed class WatchedApprovalStore(IApprovalStore inner) : IApprovalStore
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _reads = new(StringComparer.Ordinal);

    /// <summary>Completes once <see cref="GetAsync"/> has returned request <paramref name="id"/> (pending or not).</summary>
    public Task ReadAsync(string id) => Read(id).Task;

    public Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default) => inner.CreateAsync(request, cancellationToken);

    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var request = await inner.GetAsync(id, cancellationToken);
        Read(id).TrySetResult();
        return request;
    }

    public Task<IReadOnlyList<ApprovalRequest>> FindByToolCallAsync(string runId, string toolCallId, CancellationToken cancellationToken = default) =>
        inner.FindByToolCallAsync(runId, toolCallId, cancellationToken);

    public Task<bool> AnyInConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        inner.AnyInConversationAsync(conversationId, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken = default) =>
        inner.ListAsync(status, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> FindPendingByRunAsync(string runId, CancellationToken cancellationToken = default) =>
        inner.FindPendingByRunAsync(runId, cancellationToken);

    public Task<bool> TryResolveAsync(string id, ApprovalStatus status, string decidedBy, string? comment, DateTimeOffset decidedAt, CancellationToken cancellationToken = default) =>
        inner.TryResolveAsync(id, status, decidedBy, comment, decidedAt, cancellationToken);

    private TaskCompletionSource Read(string id) => _reads.GetOrAdd(id, static _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}
