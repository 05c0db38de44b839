using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Conversations;
using AgentSuite.Storage.Tests.Support;
using Npgsql;

namespace AgentSuite.Storage.Tests;

/// <summary>
/// Turns leased to the instance running them on PostgreSQL: another instance takes a turn over only once its lease has
/// expired (or was released), exactly one instance gets it, and the instance that lost it can no longer write it.
/// </summary>
public sealed class PostgresTurnLeaseTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 30, 15, 123, TimeSpan.Zero);

    private readonly List<StoreBackend> _instances = [];
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        var first = await StoreBackend.PostgresAsync();
        _instances.Add(first);
        _connectionString = first.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheStoreLeasesTurnsAndListsEveryInstancesActiveTurns()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        await StartAsync(a, "c1", "run-a");
        await StartAsync(b, "c2", "run-b");

        Assert.True(a.Get<ITurnStore>().LeasesTurns);
        Assert.Equal(["run-a", "run-b"], (await a.Get<ITurnStore>().ListActiveAsync()).Select(t => t.RunId));
        Assert.Equal(["run-a", "run-b"], (await b.Get<ITurnStore>().ListActiveAsync()).Select(t => t.RunId));
        Assert.Empty(await a.Get<ITurnStore>().ClaimUnfinishedAsync());
        Assert.Empty(await b.Get<ITurnStore>().ClaimUnfinishedAsync());
    }

    [Fact]
    public async Task AnExpiredTurnIsClaimedByExactlyOneOtherInstanceAndItsFormerHolderCanNoLongerWriteIt()
    {
        // A's lease is short, B's and C's long, so only A's can expire while the test runs.
        var a = await InstanceAsync(TimeSpan.FromSeconds(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        var c = await InstanceAsync(TimeSpan.FromMinutes(1));
        var turn = await StartAsync(a, "c1", "run-1");

        Assert.Empty(await b.Get<ITurnStore>().ClaimUnfinishedAsync());
        await WaitUntilExpiredAsync("run-1");
        var claims = await Task.WhenAll(Task.Run(() => b.Get<ITurnStore>().ClaimUnfinishedAsync()), Task.Run(() => c.Get<ITurnStore>().ClaimUnfinishedAsync()));

        var claimed = Assert.Single(claims.SelectMany(t => t));
        Assert.Equal(turn with { LeaseEpoch = 1 }, claimed);
        var (holder, loser) = claims[0].Count == 1 ? (b, c) : (c, b);
        Assert.Empty(await loser.Get<ITurnStore>().ClaimUnfinishedAsync());
        Assert.Empty(await holder.Get<ITurnStore>().ClaimUnfinishedAsync());

        var lost = await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().SaveAsync(turn with { Status = TurnStatus.Waiting, UpdatedAt = T0.AddSeconds(1) }));
        Assert.Equal(("run-1", holder.Get<InstanceIdentity>().Name), (lost.RunId, lost.Holder));
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().FinishAsync(Ended(turn), new ConversationMessage("assistant", "coordinator", "from A", T0)));
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().HoldLeaseAsync(turn));
        Assert.Equal(0, await a.Get<ITurnStore>().RenewLeasesAsync(["run-1"]));
        Assert.Equal(claimed, await a.Get<ITurnStore>().GetAsync("run-1"));

        // The new holder carries on: its writes go through. Once it has ended the turn, the old holder's finish is too
        // late, and its checkpoint and lease check still fail: a stale run must stop before any side effect, not act on
        // a turn another instance has finished.
        var waiting = claimed with { Status = TurnStatus.Waiting, ApprovalId = "ap-1", UpdatedAt = T0.AddSeconds(2) };
        await holder.Get<ITurnStore>().SaveAsync(waiting);
        Assert.Equal(waiting, await a.Get<ITurnStore>().GetAsync("run-1"));
        Assert.Equal(1, await holder.Get<ITurnStore>().RenewLeasesAsync(["run-1"]));
        Assert.True(await holder.Get<ITurnStore>().FinishAsync(Ended(waiting), new ConversationMessage("assistant", "coordinator", "from the new holder", T0)));
        Assert.False(await a.Get<ITurnStore>().FinishAsync(Ended(turn), null));
        var afterEnd = await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().SaveAsync(turn));
        Assert.Contains(holder.Get<InstanceIdentity>().Name, afterEnd.Holder, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().HoldLeaseAsync(turn));

        // The run that ended the turn itself may still flush a late checkpoint: nothing happens.
        await holder.Get<ITurnStore>().SaveAsync(waiting);
        await holder.Get<ITurnStore>().HoldLeaseAsync(waiting);
        Assert.Equal(["hello", "from the new holder"], (await a.Get<IConversationStore>().GetAsync("c1"))!.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task ALeaseHeldAndRenewedIsNotClaimedUntilItsHolderReleasesIt()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        var turn = await StartAsync(a, "c1", "run-1");
        await StartAsync(a, "c2", "run-2");
        await StartAsync(b, "c3", "run-3");

        Assert.Equal(2, await a.Get<ITurnStore>().RenewLeasesAsync(["run-1", "run-2", "run-3"]));
        Assert.Empty(await b.Get<ITurnStore>().ClaimUnfinishedAsync());
        await a.Get<ITurnStore>().ReleaseLeasesAsync(["run-1", "run-2", "run-3"]);

        // A clean stop: B takes A's turns over at once, oldest first, and A's own writes are refused from then on.
        Assert.Equal(["run-1", "run-2"], (await b.Get<ITurnStore>().ClaimUnfinishedAsync()).Select(t => t.RunId));
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().SaveAsync(turn));
        Assert.Equal(3, await b.Get<ITurnStore>().RenewLeasesAsync(["run-1", "run-2", "run-3"]));
        Assert.Equal(0, await a.Get<ITurnStore>().RenewLeasesAsync(["run-1", "run-2"]));
    }

    [Fact]
    public async Task ATurnStartedByOneInstanceIsRefusedOnAnotherUntilItEnds()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        var turn = await StartAsync(a, "c1", "run-1");

        Assert.False(await b.Get<ITurnStore>().TryStartAsync(Turn("c1", "run-2"), new ConversationMessage("user", null, "on B", T0)));
        Assert.True(await a.Get<ITurnStore>().FinishAsync(Ended(turn), null));
        Assert.True(await b.Get<ITurnStore>().TryStartAsync(Turn("c1", "run-2"), new ConversationMessage("user", null, "on B", T0)));
        Assert.Equal("run-2", (await a.Get<ITurnStore>().GetLatestAsync("c1"))!.RunId);
    }

    [Fact]
    public async Task AHoldersWriteAfterItsLeaseExpiredUnclaimedReTakesTheLeaseSoNoOtherInstanceClaimsIt()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        var turn = await StartAsync(a, "c1", "run-1");
        await StartAsync(a, "c2", "run-2");

        // A stalled past both leases, and nobody has claimed them yet: A's checkpoint write and its fence before a call
        // each go through and give A a full lease again, so B's next tick finds nothing to claim.
        await ExpireAsync("run-1", "run-2");
        await a.Get<ITurnStore>().SaveAsync(turn with { Status = TurnStatus.Waiting, ApprovalId = "ap-1", UpdatedAt = T0.AddSeconds(1) });
        await a.Get<ITurnStore>().HoldLeaseAsync(Turn("c2", "run-2"));
        Assert.Empty(await b.Get<ITurnStore>().ClaimUnfinishedAsync());
        Assert.True(await LeaseAheadAsync("run-1", TimeSpan.FromSeconds(50)));
        Assert.True(await LeaseAheadAsync("run-2", TimeSpan.FromSeconds(50)));
    }

    [Fact]
    public async Task ATurnClaimedBackByItsFormerHolderRefusesTheWritesOfItsEarlierRunThere()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        var first = await StartAsync(a, "c1", "run-1");

        // A stalls, B claims, B dies, A claims the turn back under the same name: A's stalled run is still a stale run.
        await ExpireAsync("run-1");
        var byB = Assert.Single(await b.Get<ITurnStore>().ClaimUnfinishedAsync());
        await b.Get<ITurnStore>().SaveAsync(byB with { State = """{"step":5}""", UpdatedAt = T0.AddSeconds(5) });
        await ExpireAsync("run-1");
        var again = Assert.Single(await a.Get<ITurnStore>().ClaimUnfinishedAsync());
        Assert.Equal((1L, 2L, """{"step":5}"""), (byB.LeaseEpoch, again.LeaseEpoch, again.State));

        var lost = await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().SaveAsync(first with { State = """{"step":1}""" }));
        Assert.Equal(a.Get<InstanceIdentity>().Name, lost.Holder);
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().HoldLeaseAsync(first));
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => a.Get<ITurnStore>().FinishAsync(Ended(first), new ConversationMessage("assistant", "coordinator", "stale", T0)));
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => b.Get<ITurnStore>().SaveAsync(byB));
        Assert.Equal("""{"step":5}""", (await a.Get<ITurnStore>().GetAsync("run-1"))!.State);

        // The new run goes on and ends the turn.
        await a.Get<ITurnStore>().HoldLeaseAsync(again);
        Assert.True(await a.Get<ITurnStore>().FinishAsync(Ended(again), new ConversationMessage("assistant", "coordinator", "fresh", T0)));
        Assert.Equal(["hello", "fresh"], (await a.Get<IConversationStore>().GetAsync("c1"))!.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task OnlyTheTurnsNamedAreRenewedSoATurnNoRunHoldsAnyMoreExpiresAndIsClaimed()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        await StartAsync(a, "c1", "run-1");
        await StartAsync(a, "c2", "run-orphan");
        await ExpireAsync("run-1", "run-orphan");

        // Only run-1 still runs on A (run-orphan's run ended without ending in the store): its lease runs out, and A
        // itself claims it to resume it.
        Assert.Equal(1, await a.Get<ITurnStore>().RenewLeasesAsync(["run-1"]));
        var claimed = Assert.Single(await a.Get<ITurnStore>().ClaimUnfinishedAsync());
        Assert.Equal(("run-orphan", 1L), (claimed.RunId, claimed.LeaseEpoch));
        Assert.Equal(TimeSpan.FromMinutes(1), a.Get<ITurnStore>().LeaseDuration);
    }

    [Fact]
    public async Task TheLatestTurnIsTheLastStartedWhateverTheClocksOfTheInstancesThatStartedThem()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        var first = await StartAsync(a, "c1", "run-1");
        Assert.True(await a.Get<ITurnStore>().FinishAsync(Ended(first), null));

        // B's clock is an hour behind A's.
        var second = Turn("c1", "run-2") with { StartedAt = T0.AddHours(-1), UpdatedAt = T0.AddHours(-1) };
        Assert.True(await b.Get<ITurnStore>().TryStartAsync(second, new ConversationMessage("user", null, "again", T0.AddHours(-1))));

        Assert.Equal("run-2", (await a.Get<ITurnStore>().GetLatestAsync("c1"))!.RunId);
        var listed = Assert.Single(await a.Get<IConversationStore>().ListAsync(new ConversationQuery(50)), c => c.Id == "c1");
        Assert.Equal("run-2", listed.LatestTurn!.RunId);
    }

    [Fact]
    public async Task ADeadInstancesTurnsAreClaimedInBatches()
    {
        var a = await InstanceAsync(TimeSpan.FromMinutes(1));
        var b = await InstanceAsync(TimeSpan.FromMinutes(1));
        var runs = Enumerable.Range(1, 20).Select(i => $"run-{i:D2}").ToList();
        foreach (var run in runs)
        {
            await StartAsync(a, "c" + run, run);
        }

        await ExpireAsync([.. runs]);
        var firstBatch = await b.Get<ITurnStore>().ClaimUnfinishedAsync();
        var secondBatch = await b.Get<ITurnStore>().ClaimUnfinishedAsync();
        Assert.Equal(runs[..16], firstBatch.Select(t => t.RunId));
        Assert.Equal(runs[16..], secondBatch.Select(t => t.RunId));
    }

    private async Task<StoreBackend> InstanceAsync(TimeSpan lease)
    {
        var instance = await StoreBackend.PostgresAsync(connectionString: _connectionString, configure: o => o.TurnLease = lease);
        _instances.Add(instance);
        return instance;
    }

    private static async Task<TurnRecord> StartAsync(StoreBackend instance, string conversationId, string runId)
    {
        await instance.Get<IConversationStore>().CreateAsync(conversationId, "alice", null, T0);
        var turn = Turn(conversationId, runId);
        Assert.True(await instance.Get<ITurnStore>().TryStartAsync(turn, new ConversationMessage("user", null, "hello", T0)));
        return turn;
    }

    // The instance holding these turns stopped renewing a lease ago: their leases end now, on the database's clock.
    private async Task ExpireAsync(params string[] runIds)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE turns SET lease_until = now() - interval '1 second' WHERE run_id = ANY(@runs)", connection);
        command.Parameters.AddWithValue("runs", runIds);
        Assert.Equal(runIds.Length, await command.ExecuteNonQueryAsync());
    }

    private async Task<bool> LeaseAheadAsync(string runId, TimeSpan atLeast)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT lease_until > now() + @ahead FROM turns WHERE run_id = @run", connection);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("ahead", atLeast);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    // Waits on the database's own clock, which the leases use, for the lease to run out.
    private async Task WaitUntilExpiredAsync(string runId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(100))
        {
            await using var command = new NpgsqlCommand("SELECT lease_until < now() FROM turns WHERE run_id = @run", connection);
            command.Parameters.AddWithValue("run", runId);
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The lease on {runId} never expired.");
        }
    }

    private static TurnRecord Turn(string conversationId, string runId) =>
        new(conversationId, runId, "alice", TurnStatus.Running, T0) { UpdatedAt = T0, State = """{"step":0}""" };

    private static TurnRecord Ended(TurnRecord turn) =>
        turn with { Status = TurnStatus.Completed, ApprovalId = null, UpdatedAt = T0.AddSeconds(3), EndedAt = T0.AddSeconds(3) };
}
