using AgentSuite.Governance.Approvals;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>What every approval store promises, on one instance and across instances sharing the store.</summary>
public abstract class ApprovalStoreContract : StoreContract
{
    internal static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(2));

    private IApprovalStore Store => Backend.Get<IApprovalStore>();

    [Fact]
    public async Task A_request_round_trips_with_every_field()
    {
        var decided = Request("a1", "call-1", T0) with
        {
            Status = ApprovalStatus.Approved,
            DecidedBy = "bob",
            DecidedAt = T0.AddMinutes(3),
            Comment = "ok \"quoted\" ünïcode",
        };
        var pending = Request("a2", "call-2", T0.AddSeconds(1)) with { Request = null, IdempotencyKey = null, AgentPath = ["billing"] };

        await Store.CreateAsync(decided);
        await Store.CreateAsync(pending);

        var loadedDecided = await Store.GetAsync("a1");
        var loadedPending = await Store.GetAsync("a2");
        AssertSameApproval(decided, loadedDecided);
        AssertSameApproval(pending, loadedPending);
        Assert.Equal(T0.UtcTicks, loadedDecided!.RequestedAt.UtcTicks);
        Assert.Null(loadedPending!.DecidedBy);
        Assert.Null(loadedPending.DecidedAt);
        Assert.Null(loadedPending.Comment);
        Assert.Null(await Store.GetAsync("missing"));
    }

    [Fact]
    public async Task A_request_resolves_only_once()
    {
        await Store.CreateAsync(Request("a1", "call-1", T0));

        Assert.True(await Store.TryResolveAsync("a1", ApprovalStatus.Denied, "alice", "too risky", T0.AddMinutes(1)));
        Assert.False(await Store.TryResolveAsync("a1", ApprovalStatus.Approved, "bob", null, T0.AddMinutes(2)));
        Assert.False(await Store.TryResolveAsync("missing", ApprovalStatus.Approved, "bob", null, T0));

        var resolved = await Store.GetAsync("a1");
        Assert.Equal(ApprovalStatus.Denied, resolved!.Status);
        Assert.Equal("alice", resolved.DecidedBy);
        Assert.Equal("too risky", resolved.Comment);
        Assert.Equal(T0.AddMinutes(1), resolved.DecidedAt);
    }

    [Fact]
    public async Task Concurrent_resolvers_have_exactly_one_winner()
    {
        await Store.CreateAsync(Request("a1", "call-1", T0));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store.TryResolveAsync("a1", ApprovalStatus.Approved, $"approver-{i}", null, T0.AddSeconds(i)))));

        Assert.Single(results, won => won);
        var resolved = await Store.GetAsync("a1");
        Assert.Equal(ApprovalStatus.Approved, resolved!.Status);
        Assert.StartsWith("approver-", resolved.DecidedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_request_resolved_from_two_instances_at_once_has_exactly_one_winner_both_read()
    {
        await using var other = await Backend.SecondInstanceAsync();
        var stores = new[] { Store, other.Get<IApprovalStore>() };
        await stores[1].CreateAsync(Request("a1", "call-1", T0));

        // Both instances decide together, four callers each, approving on one and denying on the other.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            stores[i % 2].TryResolveAsync("a1", i % 2 == 0 ? ApprovalStatus.Approved : ApprovalStatus.Denied, $"approver-{i}", null, T0.AddSeconds(i)))));

        var winner = Array.IndexOf(results, true);
        Assert.Single(results, won => won);
        foreach (var store in stores)
        {
            var decided = await store.GetAsync("a1");
            Assert.Equal((winner % 2 == 0 ? ApprovalStatus.Approved : ApprovalStatus.Denied, $"approver-{winner}"), (decided!.Status, decided.DecidedBy));
        }
    }

    [Fact]
    public async Task Find_by_tool_call_returns_only_that_call_oldest_first()
    {
        await Store.CreateAsync(Request("late", "call-1", T0.AddMinutes(5)));
        await Store.CreateAsync(Request("other-call", "call-2", T0.AddMinutes(1)));
        await Store.CreateAsync(Request("other-run", "call-1", T0.AddMinutes(2)) with { RunId = "run-2" });
        await Store.CreateAsync(Request("early", "call-1", T0));

        var found = await Store.FindByToolCallAsync("run-1", "call-1");

        Assert.Equal(["early", "late"], found.Select(r => r.Id));
        Assert.Empty(await Store.FindByToolCallAsync("run-1", "call-9"));
    }

    [Fact]
    public async Task List_filters_by_status_oldest_first()
    {
        await Store.CreateAsync(Request("p2", "c1", T0.AddMinutes(2)));
        await Store.CreateAsync(Request("p1", "c2", T0.AddMinutes(1)));
        await Store.CreateAsync(Request("d1", "c3", T0));
        Assert.True(await Store.TryResolveAsync("d1", ApprovalStatus.Denied, "alice", null, T0.AddMinutes(3)));

        Assert.Equal(["p1", "p2"], (await Store.ListAsync(ApprovalStatus.Pending)).Select(r => r.Id));
        Assert.Equal(["d1"], (await Store.ListAsync(ApprovalStatus.Denied)).Select(r => r.Id));
        Assert.Empty(await Store.ListAsync(ApprovalStatus.TimedOut));
        Assert.Equal(["d1", "p1", "p2"], (await Store.ListAsync(null)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_runs_pending_requests_are_found_without_other_runs_or_decided_ones()
    {
        await Store.CreateAsync(Request("p1", "c1", T0));
        await Store.CreateAsync(Request("p2", "c2", T0.AddMinutes(1)));
        await Store.CreateAsync(Request("d1", "c3", T0));
        await Store.CreateAsync(Request("other", "c1", T0) with { RunId = "run-2" });
        Assert.True(await Store.TryResolveAsync("d1", ApprovalStatus.Denied, "bob", null, T0.AddMinutes(2)));

        Assert.Equal(["p1", "p2"], (await Store.FindPendingByRunAsync("run-1")).Select(r => r.Id));
        Assert.Equal(["other"], (await Store.FindPendingByRunAsync("run-2")).Select(r => r.Id));
        Assert.Empty(await Store.FindPendingByRunAsync("run-3"));
    }

    [Fact]
    public async Task Requests_made_at_the_same_moment_list_in_the_order_they_were_made()
    {
        foreach (var id in new[] { "c", "a", "b" })
        {
            await Store.CreateAsync(Request(id, "call-1", T0));
        }

        Assert.Equal(["c", "a", "b"], (await Store.ListAsync(ApprovalStatus.Pending)).Select(r => r.Id));
        Assert.Equal(["c", "a", "b"], (await Store.FindByToolCallAsync("run-1", "call-1")).Select(r => r.Id));
    }

    [Fact]
    public async Task A_conversation_holds_an_approval_whatever_its_status_and_others_hold_none()
    {
        await Store.CreateAsync(Request("d1", "c1", T0));
        Assert.True(await Store.TryResolveAsync("d1", ApprovalStatus.Denied, "bob", null, T0.AddMinutes(1)));

        Assert.True(await Store.AnyInConversationAsync("conv-1"));
        Assert.False(await Store.AnyInConversationAsync("conv-2"));
    }

    internal static ApprovalRequest Request(string id, string toolCallId, DateTimeOffset requestedAt) => new()
    {
        Id = id,
        ConversationId = "conv-1",
        RunId = "run-1",
        ToolCallId = toolCallId,
        Agent = "billing",
        Tool = "erp/pay_invoice",
        Arguments = """{"amount":150,"invoice_id":"INV-1"}""",
        ArgumentsHash = "abc123",
        RequestedBy = "alice",
        RequestedAt = requestedAt,
        ExpiresAt = requestedAt.AddMinutes(30),
        Reason = "amount > 100",
        Request = "I was charged twice on INV-1, please refund it",
        AgentPath = ["coordinator", "billing"],
        IdempotencyKey = "erp/pay_invoice#key:pay-INV-1",
    };

    /// <summary>Every field equal; the agent path (a list, compared by reference in record equality) by its items.</summary>
    private static void AssertSameApproval(ApprovalRequest expected, ApprovalRequest? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.AgentPath, actual.AgentPath);
        Assert.Equal(expected, actual with { AgentPath = expected.AgentPath });
    }
}
