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
    /// writes (<see cref="SaveAsync"/>, <see cref="FinishAsync"/>) are refused with <see cref="TurnLeaseLostException"/>
    /// once another instance has taken the turn over, the running instance renews its leases
    /// (<see cref="RenewLeasesAsync"/>), and every instance keeps claiming expired ones (<see cref="ClaimUnfinishedAsync"/>).
    /// </summary>
    bool LeasesTurns => false;

    /// <summary>
    /// The unfinished turns this instance should resume now, oldest first. On a store of one process: every active turn
    /// (the process that ran them has stopped). On a leasing store: the active turns whose lease has expired, now leased
    /// to this instance, so no two instances ever resume the same turn.
    /// </summary>
    Task<IReadOnlyList<TurnRecord>> ClaimUnfinishedAsync(CancellationToken cancellationToken = default) => ListActiveAsync(cancellationToken);

    /// <summary>Extends the lease of every active turn this instance holds; returns how many. Nothing to do without leases.</summary>
    Task<int> RenewLeasesAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>Ends this instance's leases at once (a clean stop), so another instance resumes its unfinished turns without waiting for them to expire.</summary>
    Task ReleaseLeasesAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
