using AgentSuite.Governance;
using AgentSuite.Governance.Conversations;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>Conversations and their messages, and the conversations list with its filters and paging, on every store.</summary>
public abstract class ConversationStoreContract : StoreContract
{
    // To the microsecond: what SQLite (ticks) and PostgreSQL (microseconds) both keep.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4560);

    private IConversationStore Store => Backend.Get<IConversationStore>();

    [Fact]
    public async Task AConversationReadsBackWithItsMessagesInTheOrderTheyWereAppended()
    {
        await Store.CreateAsync("c1", "alice", "sub-a", T0);
        var messages = new[]
        {
            new ConversationMessage("user", null, "Refund INV-1 please", T0.AddSeconds(1)),
            new ConversationMessage("assistant", "billing", "Refunded \"INV-1\": ünïcode kept", T0.AddSeconds(2)),
            new ConversationMessage("user", null, "Thanks", T0.AddSeconds(1)),
        };
        foreach (var message in messages)
        {
            await Store.AppendAsync("c1", message);
        }

        var conversation = await Store.GetAsync("c1");

        Assert.NotNull(conversation);
        Assert.Equal(("c1", "alice", "sub-a", T0), (conversation.Id, conversation.CreatedBy, conversation.CreatedBySubject, conversation.CreatedAt));
        Assert.Equal(messages, conversation.Messages);
        Assert.Null(await Store.GetAsync("missing"));
    }

    [Fact]
    public async Task AConversationWithoutMessagesReadsBackEmptyAndUnknownOnesRefuseMessages()
    {
        await Store.CreateAsync("c1", "alice", null, T0);

        Assert.Empty((await Store.GetAsync("c1"))!.Messages);
        Assert.Null((await Store.GetAsync("c1"))!.CreatedBySubject);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AppendAsync("missing", new ConversationMessage("user", null, "hi", T0)));
        Assert.Null(await Store.GetAsync("missing"));
    }

    [Fact]
    public async Task ATokenHoldersConversationsAreTheirSubjectsWhateverNameTheyNowGoBy()
    {
        await Store.CreateAsync("c-alice", "Alice (sub-a)", "sub-a", T0);
        await Store.CreateAsync("c-namesake", "Alice Married-Name (sub-b)", "sub-b", T0.AddMinutes(1));
        await Store.CreateAsync("c-key", "alice", null, T0.AddMinutes(2));
        var renamed = new Principal("Alice Married-Name (sub-a)", Roles.User) { Subject = "sub-a" };
        var byKey = new Principal("ALICE", Roles.User);
        var keyNamedLikeAToken = new Principal("Alice (sub-a)", Roles.User);

        var conversation = await Store.GetAsync("c-alice");

        Assert.Equal(("Alice (sub-a)", "sub-a"), (conversation!.CreatedBy, conversation.CreatedBySubject));
        Assert.True(conversation.IsOwnedBy(renamed));
        Assert.False(conversation.IsOwnedBy(keyNamedLikeAToken));
        Assert.False((await Store.GetAsync("c-namesake"))!.IsOwnedBy(renamed));
        Assert.True((await Store.GetAsync("c-key"))!.IsOwnedBy(byKey));
        Assert.Equal(["c-alice"], await IdsAsync(new ConversationQuery(10) { Owner = renamed }));
        Assert.Equal(["c-key"], await IdsAsync(new ConversationQuery(10) { Owner = byKey }));
        Assert.Empty(await IdsAsync(new ConversationQuery(10) { Owner = keyNamedLikeAToken }));
    }

    [Fact]
    public async Task TheListIsNewestFirstAndPagesNeverRepeatOrSkipAConversation()
    {
        // Two created in the same instant: the id breaks the tie, as on every store.
        await Store.CreateAsync("c-a", "alice", null, T0);
        await Store.CreateAsync("c-b", "bob", null, T0.AddMinutes(1));
        await Store.CreateAsync("c-c", "alice", null, T0.AddMinutes(1));
        await Store.CreateAsync("c-D", "carol", null, T0.AddMinutes(1));
        await Store.CreateAsync("c-e", "bob", null, T0.AddMinutes(2));

        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await IdsAsync(new ConversationQuery(2) { AfterId = after });
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 2);
            seen.AddRange(page);
            after = page[^1];
        }

        Assert.Equal(["c-e", "c-c", "c-b", "c-D", "c-a"], seen);
        Assert.Empty(await IdsAsync(new ConversationQuery(10) { AfterId = "missing" }));
    }

    [Fact]
    public async Task TheListFiltersByStarterIgnoringCaseAndByAWindowThatIncludesItsStartOnly()
    {
        await Store.CreateAsync("c1", "Alice", null, T0);
        await Store.CreateAsync("c2", "bob", null, T0.AddMinutes(1));
        await Store.CreateAsync("c3", "alice", null, T0.AddMinutes(2));
        await Store.CreateAsync("c4", "alice", null, T0.AddMinutes(3));

        Assert.Equal(["c4", "c3", "c1"], await IdsAsync(new ConversationQuery(10) { CreatedBy = "ALICE" }));
        Assert.Equal(["c3", "c2"], await IdsAsync(new ConversationQuery(10) { From = T0.AddMinutes(1), To = T0.AddMinutes(3) }));
        Assert.Equal(["c3"], await IdsAsync(new ConversationQuery(10) { CreatedBy = "alice", From = T0.AddMinutes(1).ToOffset(TimeSpan.FromHours(-5)), To = T0.AddMinutes(3) }));
    }

    [Fact]
    public async Task TheListShowsEachConversationsMessagesAndLatestTurnAndFiltersByItsStatus()
    {
        var turns = Backend.Get<ITurnStore>();
        await Store.CreateAsync("c-none", "alice", null, T0);
        await Store.CreateAsync("c-done", "alice", null, T0.AddMinutes(1));
        await Store.CreateAsync("c-running", "alice", null, T0.AddMinutes(2));
        var first = Turn("c-done", "run-1", T0.AddMinutes(3));
        Assert.True(await turns.TryStartAsync(first, new ConversationMessage("user", null, "one", T0.AddMinutes(3))));
        Assert.True(await turns.FinishAsync(first with { Status = TurnStatus.Failed, Reason = "model down", UpdatedAt = T0.AddMinutes(4), EndedAt = T0.AddMinutes(4) }, null));
        var second = Turn("c-done", "run-2", T0.AddMinutes(5));
        Assert.True(await turns.TryStartAsync(second, new ConversationMessage("user", null, "two", T0.AddMinutes(5))));
        Assert.True(await turns.FinishAsync(second with { Status = TurnStatus.Completed, UpdatedAt = T0.AddMinutes(6), EndedAt = T0.AddMinutes(6) }, new ConversationMessage("assistant", "coordinator", "done", T0.AddMinutes(6))));
        Assert.True(await turns.TryStartAsync(Turn("c-running", "run-3", T0.AddMinutes(7)) with { ApprovalId = "ap-1" }, new ConversationMessage("user", null, "three", T0.AddMinutes(7))));

        var all = await Store.ListAsync(new ConversationQuery(10));

        Assert.Equal(["c-running", "c-done", "c-none"], all.Select(c => c.Id));
        Assert.Equal((0, (DateTimeOffset?)null, (TurnSummary?)null), (all[2].MessageCount, all[2].LastMessageAt, all[2].LatestTurn));
        Assert.Equal((3, (DateTimeOffset?)T0.AddMinutes(6)), (all[1].MessageCount, all[1].LastMessageAt));
        Assert.Equal(new TurnSummary("run-2", TurnStatus.Completed, T0.AddMinutes(5), T0.AddMinutes(6)) { EndedAt = T0.AddMinutes(6) }, all[1].LatestTurn);
        Assert.Equal(new TurnSummary("run-3", TurnStatus.Running, T0.AddMinutes(7), T0.AddMinutes(7)) { ApprovalId = "ap-1" }, all[0].LatestTurn);
        Assert.Equal(["c-none"], await IdsAsync(new ConversationQuery(10) { Status = ConversationStatus.None }));
        Assert.Equal(["c-done"], await IdsAsync(new ConversationQuery(10) { Status = TurnStatus.Completed }));
        Assert.Equal(["c-running"], await IdsAsync(new ConversationQuery(10) { Status = TurnStatus.Running }));
        Assert.Empty(await IdsAsync(new ConversationQuery(10) { Status = TurnStatus.Failed }));
    }

    [Fact]
    public async Task AnotherInstanceReadsWhatThisOneWrote()
    {
        await Store.CreateAsync("c1", "alice", null, T0);
        await using var second = await Backend.SecondInstanceAsync();

        await second.Get<IConversationStore>().AppendAsync("c1", new ConversationMessage("user", null, "from the other instance", T0.AddSeconds(1)));

        Assert.Equal(["from the other instance"], (await Store.GetAsync("c1"))!.Messages.Select(m => m.Text));
        Assert.Equal(["c1"], (await second.Get<IConversationStore>().ListAsync(new ConversationQuery(10))).Select(c => c.Id));
    }

    private static TurnRecord Turn(string conversationId, string runId, DateTimeOffset at) =>
        new(conversationId, runId, "alice", TurnStatus.Running, at) { UpdatedAt = at };

    private async Task<List<string>> IdsAsync(ConversationQuery query) =>
        [.. (await Store.ListAsync(query)).Select(c => c.Id)];
}
