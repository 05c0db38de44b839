using AgentSuite.Governance.Conversations;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>Turns and their checkpoints on every store: one active turn per conversation, atomic starts and ends, exact round trips.</summary>
public abstract class TurnStoreContract : StoreContract
{
    // To the microsecond: what SQLite (ticks) and PostgreSQL (microseconds) both keep.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4560);

    private ITurnStore Turns => Backend.Get<ITurnStore>();

    private IConversationStore Conversations => Backend.Get<IConversationStore>();

    [Fact]
    public async Task AStartedTurnReadsBackEveryFieldAndItsMessageIsInTheConversation()
    {
        await Conversations.CreateAsync("c1", "alice", null, T0);
        var turn = Turn("c1", "run-1", T0.AddSeconds(1)) with { ApprovalId = "ap-1", State = """{"step":0,"agents":["coordinator"],"text":"ünïcode \"quoted\""}""" };

        Assert.True(await Turns.TryStartAsync(turn, new ConversationMessage("user", null, "Refund INV-1", T0.AddSeconds(1))));

        Assert.Equal(turn, await Turns.GetAsync("run-1"));
        Assert.Equal(turn, await Turns.GetLatestAsync("c1"));
        Assert.Equal([turn], await Turns.ListActiveAsync());
        Assert.Equal(["Refund INV-1"], (await Conversations.GetAsync("c1"))!.Messages.Select(m => m.Text));
        Assert.Null(await Turns.GetAsync("missing"));
        Assert.Null(await Turns.GetLatestAsync("missing"));
    }

    [Fact]
    public async Task ASecondTurnWhileOneIsActiveIsRefusedAndWritesNothing()
    {
        await Conversations.CreateAsync("c1", "alice", null, T0);
        Assert.True(await Turns.TryStartAsync(Turn("c1", "run-1", T0), Message("first")));

        Assert.False(await Turns.TryStartAsync(Turn("c1", "run-2", T0.AddSeconds(1)), Message("second")));
        await Turns.SaveAsync(Turn("c1", "run-1", T0) with { Status = TurnStatus.Waiting, UpdatedAt = T0.AddSeconds(2) });
        Assert.False(await Turns.TryStartAsync(Turn("c1", "run-3", T0.AddSeconds(3)), Message("third")));

        Assert.Null(await Turns.GetAsync("run-2"));
        Assert.Equal("run-1", (await Turns.GetLatestAsync("c1"))!.RunId);
        Assert.Equal(["first"], (await Conversations.GetAsync("c1"))!.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task ATurnInAConversationThatDoesNotExistIsRefusedAsNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Turns.TryStartAsync(Turn("missing", "run-1", T0), Message("hello")));

        Assert.Null(await Turns.GetAsync("run-1"));
    }

    [Fact]
    public async Task SavingWritesStatusApprovalAndCheckpointUntilTheTurnEnds()
    {
        await Conversations.CreateAsync("c1", "alice", null, T0);
        var turn = Turn("c1", "run-1", T0);
        Assert.True(await Turns.TryStartAsync(turn, Message("hi")));

        var waiting = turn with { Status = TurnStatus.Waiting, ApprovalId = "ap-1", UpdatedAt = T0.AddSeconds(5), State = """{"step":2}""" };
        await Turns.SaveAsync(waiting);
        Assert.Equal(waiting, await Turns.GetAsync("run-1"));

        var completed = waiting with { Status = TurnStatus.Completed, ApprovalId = null, UpdatedAt = T0.AddSeconds(6), EndedAt = T0.AddSeconds(6), State = """{"step":3}""" };
        Assert.True(await Turns.FinishAsync(completed, null));
        await Turns.SaveAsync(waiting with { UpdatedAt = T0.AddSeconds(7), State = """{"step":9}""" });

        Assert.Equal(completed, await Turns.GetAsync("run-1"));
        Assert.Empty(await Turns.ListActiveAsync());
    }

    [Fact]
    public async Task FinishingEndsATurnOnceWithItsReplyAndFreesTheConversation()
    {
        await Conversations.CreateAsync("c1", "alice", null, T0);
        var turn = Turn("c1", "run-1", T0) with { ApprovalId = "ap-1" };
        Assert.True(await Turns.TryStartAsync(turn, Message("hi")));

        // Finishing clears the approval and keeps the reason; a turn with no end time ends at its last update.
        var failed = turn with { Status = TurnStatus.Failed, Reason = "the model kept failing", UpdatedAt = T0.AddSeconds(3) };
        Assert.True(await Turns.FinishAsync(failed, new ConversationMessage("assistant", "coordinator", "Sorry", T0.AddSeconds(3))));
        Assert.False(await Turns.FinishAsync(failed with { Status = TurnStatus.Completed }, new ConversationMessage("assistant", "coordinator", "again", T0.AddSeconds(4))));

        Assert.Equal(failed with { ApprovalId = null, EndedAt = T0.AddSeconds(3) }, await Turns.GetAsync("run-1"));
        Assert.Equal(["hi", "Sorry"], (await Conversations.GetAsync("c1"))!.Messages.Select(m => m.Text));
        Assert.False(await Turns.FinishAsync(Turn("c1", "missing", T0), null));

        var next = Turn("c1", "run-2", T0.AddSeconds(10));
        Assert.True(await Turns.TryStartAsync(next, Message("again")));
        Assert.Equal(next, await Turns.GetLatestAsync("c1"));
    }

    [Fact]
    public async Task ActiveTurnsAreListedOldestFirstAcrossConversations()
    {
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            await Conversations.CreateAsync(id, "alice", null, T0);
        }

        Assert.True(await Turns.TryStartAsync(Turn("c2", "run-late", T0.AddSeconds(2)), Message("late")));
        Assert.True(await Turns.TryStartAsync(Turn("c1", "run-early", T0.AddSeconds(1)), Message("early")));
        Assert.True(await Turns.TryStartAsync(Turn("c3", "run-ended", T0), Message("ended")));
        Assert.True(await Turns.FinishAsync(Turn("c3", "run-ended", T0) with { Status = TurnStatus.Completed, EndedAt = T0.AddSeconds(3) }, null));

        Assert.Equal(["run-early", "run-late"], (await Turns.ListActiveAsync()).Select(t => t.RunId));
    }

    [Fact]
    public async Task TwoInstancesStartingATurnInOneConversationAtOnceStartExactlyOne()
    {
        await Conversations.CreateAsync("c1", "alice", null, T0);
        await using var second = await Backend.SecondInstanceAsync();
        var stores = new[] { Turns, second.Get<ITurnStore>() };

        var started = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            stores[i % 2].TryStartAsync(Turn("c1", $"run-{i}", T0.AddSeconds(i)), Message($"message {i}")))));

        Assert.Single(started, s => s);
        var winner = started.ToList().IndexOf(true);
        Assert.Equal([$"run-{winner}"], (await Turns.ListActiveAsync()).Select(t => t.RunId));
        Assert.Equal([$"message {winner}"], (await Conversations.GetAsync("c1"))!.Messages.Select(m => m.Text));
    }

    private static TurnRecord Turn(string conversationId, string runId, DateTimeOffset at) =>
        new(conversationId, runId, "alice", TurnStatus.Running, at) { UpdatedAt = at, State = """{"step":0}""" };

    private static ConversationMessage Message(string text) => new("user", null, text, T0);
}
