using AgentSuite.Governance.Conversations;

namespace AgentSuite.Tests.Leases;

/// <summary>
/// The real turn store of one instance, leasing turns as a store shared by instances does: a turn belongs to the
/// instance that started or claimed it, its writes are refused with <see cref="TurnLeaseLostException"/> once another
/// holds it, and unfinished turns are claimed only when their lease ran out. The leases are on a <see cref="LeaseBoard"/>
/// every instance of the test shares; the turns themselves are in the real SQLite store underneath.
/// </summary>
public sealed class LeasingTurnStore(ITurnStore inner, LeaseBoard board, string instance, TimeSpan? lease = null) : ITurnStore
{
    public bool LeasesTurns => true;

    public TimeSpan? LeaseDuration => lease ?? TimeSpan.FromSeconds(15);

    /// <summary>Runs after each checkpoint write that went through (a test's "the instance stalls right after it").</summary>
    public Action<TurnRecord>? AfterSave { get; set; }

    public async Task<bool> TryStartAsync(TurnRecord turn, ConversationMessage message, CancellationToken cancellationToken = default)
    {
        if (!await inner.TryStartAsync(turn, message, cancellationToken))
        {
            return false;
        }

        board.Take(turn.RunId, instance);
        return true;
    }

    public async Task SaveAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        ThrowIfLost(turn);
        await inner.SaveAsync(turn, cancellationToken);
        AfterSave?.Invoke(turn);
    }

    public async Task<bool> FinishAsync(TurnRecord turn, ConversationMessage? reply, CancellationToken cancellationToken = default)
    {
        ThrowIfLost(turn);
        var finished = await inner.FinishAsync(turn, reply, cancellationToken);
        board.End(turn.RunId);
        return finished;
    }

    public Task<TurnRecord?> GetAsync(string runId, CancellationToken cancellationToken = default) => inner.GetAsync(runId, cancellationToken);

    public Task<TurnRecord?> GetLatestAsync(string conversationId, CancellationToken cancellationToken = default) => inner.GetLatestAsync(conversationId, cancellationToken);

    public Task<IReadOnlyList<TurnRecord>> ListActiveAsync(CancellationToken cancellationToken = default) => inner.ListActiveAsync(cancellationToken);

    public async Task<IReadOnlyList<TurnRecord>> ClaimUnfinishedAsync(CancellationToken cancellationToken = default) =>
        [.. (await inner.ListActiveAsync(cancellationToken))
            .Select(t => (Turn: t, Epoch: board.TryClaim(t.RunId, instance)))
            .Where(c => c.Epoch is not null)
            .Select(c => c.Turn with { LeaseEpoch = c.Epoch!.Value })];

    public Task HoldLeaseAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        ThrowIfLost(turn);
        return Task.CompletedTask;
    }

    public Task<int> RenewLeasesAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default) => Task.FromResult(board.Renew(instance, runIds));

    public Task ReleaseLeasesAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default)
    {
        board.Release(instance, runIds);
        return Task.CompletedTask;
    }

    private void ThrowIfLost(TurnRecord turn)
    {
        if (board.OtherHolder(turn.RunId, instance, turn.LeaseEpoch) is { } holder)
        {
            throw new TurnLeaseLostException(turn.RunId, holder);
        }
    }
}
