using AgentSuite.Governance.Conversations;

namespace AgentSuite.Tests.Leases;

/// <summary>
/// The real turn store of one instance, leasing turns as a store shared by instances does: a turn belongs to the
/// instance that started or claimed it, its writes are refused with <see cref="TurnLeaseLostException"/> once another
/// holds it, and unfinished turns are claimed only when their lease ran out. The leases are on a <see cref="LeaseBoard"/>
/// every instance of the test shares; the turns themselves are in the real SQLite store underneath.
/// </summary>
public sealed class LeasingTurnStore(ITurnStore inner, LeaseBoard board, string instance) : ITurnStore
{
    public bool LeasesTurns => true;

    public async Task<bool> TryStartAsync(TurnRecord turn, ConversationMessage message, CancellationToken cancellationToken = default)
    {
        if (!await inner.TryStartAsync(turn, message, cancellationToken))
        {
            return false;
        }

        board.Take(turn.RunId, instance);
        return true;
    }

    public Task SaveAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        ThrowIfLost(turn.RunId);
        return inner.SaveAsync(turn, cancellationToken);
    }

    public async Task<bool> FinishAsync(TurnRecord turn, ConversationMessage? reply, CancellationToken cancellationToken = default)
    {
        ThrowIfLost(turn.RunId);
        var finished = await inner.FinishAsync(turn, reply, cancellationToken);
        board.End(turn.RunId);
        return finished;
    }

    public Task<TurnRecord?> GetAsync(string runId, CancellationToken cancellationToken = default) => inner.GetAsync(runId, cancellationToken);

    public Task<TurnRecord?> GetLatestAsync(string conversationId, CancellationToken cancellationToken = default) => inner.GetLatestAsync(conversationId, cancellationToken);

    public Task<IReadOnlyList<TurnRecord>> ListActiveAsync(CancellationToken cancellationToken = default) => inner.ListActiveAsync(cancellationToken);

    public async Task<IReadOnlyList<TurnRecord>> ClaimUnfinishedAsync(CancellationToken cancellationToken = default) =>
        (await inner.ListActiveAsync(cancellationToken)).Where(t => board.TryClaim(t.RunId, instance)).ToList();

    public Task<int> RenewLeasesAsync(CancellationToken cancellationToken = default) => Task.FromResult(board.Renew(instance));

    public Task ReleaseLeasesAsync(CancellationToken cancellationToken = default)
    {
        board.Release(instance);
        return Task.CompletedTask;
    }

    private void ThrowIfLost(string runId)
    {
        if (board.OtherHolder(runId, instance) is { } holder)
        {
            throw new TurnLeaseLostException(runId, holder);
        }
    }
}
