namespace AgentSuite.Governance.Conversations;

/// <summary>
/// Turns and their checkpoints, kept with the conversations so that a turn's start, its user message, its end and its
/// reply are each one atomic write. At most one active turn per conversation, enforced by the store (so across instances).
/// </summary>
public interface ITurnStore
{
    /// <summary>
    /// Starts <paramref name="turn"/> and appends the user's message in one write. Returns false, writing nothing, when the
    /// conversation already has an active turn; throws <see cref="KeyNotFoundException"/> when the conversation does not exist.
    /// </summary>
    Task<bool> TryStartAsync(TurnRecord turn, ConversationMessage message, CancellationToken cancellationToken = default);

    /// <summary>Writes an active turn's status, approval and checkpoint; does nothing once the turn has ended.</summary>
    Task SaveAsync(TurnRecord turn, CancellationToken cancellationToken = default);

    /// <summary>Ends an active turn (completed, failed or abandoned) and appends its reply, if any, in one write. Returns false when it had already ended.</summary>
    Task<bool> FinishAsync(TurnRecord turn, ConversationMessage? reply, CancellationToken cancellationToken = default);

    Task<TurnRecord?> GetAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The conversation's most recent turn, active or not.</summary>
    Task<TurnRecord?> GetLatestAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Every running or waiting turn, oldest first: the turns to resume when the Api starts.</summary>
    Task<IReadOnlyList<TurnRecord>> ListActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether turns are leased to the instance running them (a store shared by several instances). When true, a turn's
    /// writes (<see cref="SaveAsync"/>, <see cref="FinishAsync"/>, <see cref="HoldLeaseAsync"/>) are fenced by the lease
    /// the turn was started or claimed under (<see cref="TurnRecord.LeaseEpoch"/>): refused with
    /// <see cref="TurnLeaseLostException"/> once any claim has taken the turn over since, and each one that goes through
    /// extends the lease. The running instance renews the leases of the turns it runs (<see cref="RenewLeasesAsync"/>),
    /// and every instance keeps claiming expired ones (<see cref="ClaimUnfinishedAsync"/>).
    /// </summary>
    bool LeasesTurns => false;

    /// <summary>How long a turn stays leased without a renewal or a fenced write; null without leases.</summary>
    TimeSpan? LeaseDuration => null;

    /// <summary>
    /// The unfinished turns this instance should resume now, oldest first. On a store of one process: every active turn
    /// (the process that ran them has stopped). On a leasing store: active turns whose lease has expired (a batch per
    /// call), now leased to this instance under a new <see cref="TurnRecord.LeaseEpoch"/>, so no two instances ever
    /// resume the same turn and a run under an older claim can no longer write it, whichever instance runs it.
    /// </summary>
    Task<IReadOnlyList<TurnRecord>> ClaimUnfinishedAsync(CancellationToken cancellationToken = default) => ListActiveAsync(cancellationToken);

    /// <summary>
    /// Confirms that the lease <paramref name="turn"/> runs under is still this instance's and extends it, in one write;
    /// throws <see cref="TurnLeaseLostException"/> when another claim has taken the turn over, or another instance or a
    /// later claim has ended it. A leasing store's fence before a call that may have a side effect. Nothing to do without
    /// leases, or once this very run has ended the turn.
    /// </summary>
    Task HoldLeaseAsync(TurnRecord turn, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Extends the leases this instance holds on the active turns among <paramref name="runIds"/> (the turns it actually
    /// runs, so a turn whose run ended here without ending in the store expires and is claimed); returns how many.
    /// </summary>
    Task<int> RenewLeasesAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>
    /// Ends this instance's leases on <paramref name="runIds"/> at once (turns stopped by a clean stop), so another
    /// instance resumes them without waiting for the leases to expire.
    /// </summary>
    Task ReleaseLeasesAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
