using AgentSuite.Governance.Idempotency;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>
/// What every idempotency store promises: a key has one holder at a time, on one instance or across instances; a claim
/// is answered with the record already there (pending, completed or unknown); only a pending claim can be released, and
/// a released key is claimed afresh.
/// </summary>
public abstract class IdempotencyStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(2));

    private IIdempotencyStore Store => Backend.Get<IIdempotencyStore>();

    [Fact]
    public async Task Concurrent_claims_have_exactly_one_winner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Store.TryClaimAsync(Claim("k1") with { ArgumentsHash = $"h{i}" }))));

        Assert.Single(results, r => r is null);
        var winner = await Store.GetAsync("k1");
        Assert.NotNull(winner);
        Assert.Equal(IdempotencyState.Pending, winner.State);
        Assert.All(results.OfType<IdempotencyRecord>(), loser => Assert.Equal(winner, loser));
    }

    [Fact]
    public async Task One_key_claimed_by_16_tasks_across_two_instances_has_exactly_one_winner()
    {
        await using var other = await Backend.SecondInstanceAsync();
        var stores = new[] { Store, other.Get<IIdempotencyStore>() };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            stores[i % 2].TryClaimAsync(Claim("refund-1") with { ArgumentsHash = $"h{i}" }))));

        // The losers on both instances are told of the winner's claim, whichever instance made it.
        var won = Assert.Single(Enumerable.Range(0, 16), i => results[i] is null);
        var winner = await stores[1 - (won % 2)].GetAsync("refund-1");
        Assert.Equal((IdempotencyState.Pending, $"h{won}"), (winner!.State, winner.ArgumentsHash));
        Assert.All(results.OfType<IdempotencyRecord>(), loser => Assert.Equal(winner, loser));
    }

    [Fact]
    public async Task A_claim_after_complete_returns_the_completed_result()
    {
        Assert.Null(await Store.TryClaimAsync(Claim("k1")));
        await Store.CompleteAsync("k1", """{"id":42}""", T0.AddMinutes(2));

        var existing = await Store.TryClaimAsync(Claim("k1") with { ClaimedAt = T0.AddHours(1) });

        Assert.NotNull(existing);
        Assert.Equal(IdempotencyState.Completed, existing.State);
        Assert.Equal("""{"id":42}""", existing.ResultJson);
        Assert.Equal(T0.AddMinutes(2), existing.CompletedAt);
        Assert.Equal(T0, existing.ClaimedAt);
        Assert.Equal("tool/x", existing.Tool);
        Assert.Equal("hash", existing.ArgumentsHash);
    }

    [Fact]
    public async Task A_pending_claim_is_answered_with_itself_until_released_then_claimed_afresh()
    {
        Assert.Null(await Store.TryClaimAsync(Claim("k1")));
        var held = await Store.TryClaimAsync(Claim("k1") with { ArgumentsHash = "other", ClaimedAt = T0.AddMinutes(1) });
        Assert.Equal((IdempotencyState.Pending, "hash", T0), (held!.State, held.ArgumentsHash, held.ClaimedAt));

        await Store.ReleaseAsync("k1");

        Assert.Null(await Store.GetAsync("k1"));
        Assert.Null(await Store.TryClaimAsync(Claim("k1") with { ArgumentsHash = "again", ClaimedAt = T0.AddMinutes(5) }));
        var reclaimed = await Store.GetAsync("k1");
        Assert.Equal((IdempotencyState.Pending, "again", T0.AddMinutes(5)), (reclaimed!.State, reclaimed.ArgumentsHash, reclaimed.ClaimedAt));
    }

    [Fact]
    public async Task A_claim_released_on_one_instance_is_claimed_on_the_other()
    {
        await using var other = await Backend.SecondInstanceAsync();
        Assert.Null(await Store.TryClaimAsync(Claim("k1")));
        Assert.NotNull(await other.Get<IIdempotencyStore>().TryClaimAsync(Claim("k1")));

        await Store.ReleaseAsync("k1");

        Assert.Null(await other.Get<IIdempotencyStore>().TryClaimAsync(Claim("k1")));
        Assert.Equal(IdempotencyState.Pending, (await Store.TryClaimAsync(Claim("k1")))?.State);
    }

    [Fact]
    public async Task Release_keeps_completed_and_unknown_records()
    {
        Assert.Null(await Store.TryClaimAsync(Claim("done")));
        Assert.Null(await Store.TryClaimAsync(Claim("lost")));
        await Store.CompleteAsync("done", "[]", T0.AddMinutes(2));
        await Store.MarkUnknownAsync("lost", "timed out after start");

        await Store.ReleaseAsync("done");
        await Store.ReleaseAsync("lost");

        Assert.Equal(IdempotencyState.Completed, (await Store.TryClaimAsync(Claim("done")))?.State);
        Assert.Equal(IdempotencyState.Unknown, (await Store.TryClaimAsync(Claim("lost")))?.State);
    }

    [Fact]
    public async Task Mark_unknown_is_visible_with_its_note()
    {
        Assert.Null(await Store.TryClaimAsync(Claim("k1")));

        await Store.MarkUnknownAsync("k1", "connection reset after send");

        var record = await Store.GetAsync("k1");
        Assert.Equal(IdempotencyState.Unknown, record!.State);
        Assert.Equal("connection reset after send", record.Note);
        Assert.Null(record.ResultJson);
        Assert.Null(record.CompletedAt);
    }

    [Fact]
    public async Task Operations_on_a_key_never_claimed_change_nothing()
    {
        await Store.ReleaseAsync("none");
        await Store.MarkUnknownAsync("none", "note");
        await Store.CompleteAsync("none", "{}", T0);

        Assert.Null(await Store.GetAsync("none"));
        Assert.Null(await Store.TryClaimAsync(Claim("none")));
    }

    private static IdempotencyRecord Claim(string key) =>
        new(key, "tool/x", "hash", IdempotencyState.Pending, T0, null, null);
}
