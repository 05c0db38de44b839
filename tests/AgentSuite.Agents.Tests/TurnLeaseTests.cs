using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Conversations;
using AgentSuite.Plugins.Tests.Support;
using AgentSuite.Storage.Sqlite;
using AgentSuite.Tests.Leases;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AgentSuite.Agents.Tests.DeskHarness;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// Turns on a store shared by instances, which leases each turn to the instance running it: the real desk on a real
/// SQLite store under <see cref="LeasingTurnStore"/>, so an instance losing its lease is a fact the test sets, not a timing.
/// </summary>
public sealed class TurnLeaseTests
{
    private const string Request = "Please refund the duplicate charge on INV-1006";

    [Fact]
    public async Task TurnTakenOverByAnotherInstanceStopsHereQuietlyAndGoesOnThere()
    {
        var board = new LeaseBoard();
        var instance = "instance-a";
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) =>
        {
            s.AddSingleton<IChatClient>(model);
            s.AddSingleton<ITurnStore>(sp => new LeasingTurnStore(new SqliteTurnStore(sp.GetRequiredService<SqliteGovernanceDatabase>()), board, instance));
        });
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;
        var events = new RecordedEvents();
        var turn = desk.Conversations.SendAsync(conversation, Alice, Request, events);
        var pending = await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending).WaitAsync(Patience);
        var billingAsked = model.Sent.Count(s => s.Agent == "billing");

        // Instance A stalls past its lease; instance B claims the turn.
        board.Expire("instance-a");
        var b = new LeasingTurnStore(new SqliteTurnStore(desk.Services.GetRequiredService<SqliteGovernanceDatabase>()), board, "instance-b");
        var claimed = Assert.Single(await b.ClaimUnfinishedAsync());

        // The approval wakes A's wait: A writes the decision to the turn before running the refund, the store refuses the
        // write, and A stops there, without paying and without asking the model again.
        await desk.Approvals.DecideAsync(pending.ApprovalId!, Bob, approve: true, "duplicate confirmed");
        var lost = await Assert.ThrowsAsync<TurnLeaseLostException>(() => turn.WaitAsync(Patience));

        Assert.Equal("instance-b", lost.Holder);
        Assert.Equal(billingAsked, model.Sent.Count(s => s.Agent == "billing"));
        Assert.Equal(0, desk.RefundsPaid("INV-1006"));
        Assert.DoesNotContain(await desk.AuditAsync(claimed.RunId), e => e.Tool == "billing/issue_refund" && e.Kind is GovernanceEventTypes.ToolDecision or GovernanceEventTypes.ToolCompleted);
        var moved = events.All[^1];
        Assert.Equal(GovernanceEventTypes.TurnMoved, moved.Type);
        Assert.Contains("instance-b", moved.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(events.All, e => e.Type == GovernanceEventTypes.TurnFailed);
        var left = await desk.Conversations.GetLatestTurnAsync(conversation);
        Assert.True(TurnStatus.IsActive(left!.Status));
        Assert.Null(left.Reason);
        Assert.DoesNotContain(await desk.AuditAsync(claimed.RunId), e => e.Kind == GovernanceEventTypes.TurnFailed);

        // B, which holds the lease now, resumes it from the checkpoint A left, and the approval decided meanwhile pays once.
        instance = "instance-b";
        await desk.RestartAsync();
        var resumed = await desk.Conversations.ResumeAsync((await desk.Conversations.GetLatestTurnAsync(conversation))! with { LeaseEpoch = claimed.LeaseEpoch }).WaitAsync(Patience);

        Assert.Contains("refund_id", resumed!.Reply, StringComparison.Ordinal);
        Assert.Equal(1, desk.RefundsPaid("INV-1006"));
        Assert.Equal(TurnStatus.Completed, (await desk.Conversations.GetLatestTurnAsync(conversation))!.Status);
        Assert.Null(board.HolderOf(claimed.RunId));
        Assert.True(await desk.AuditVerifiesAsync());
    }

    [Fact]
    public async Task TurnWhoseEndIsRefusedByTheLeaseRecordsNoReplyHere()
    {
        var board = new LeaseBoard();
        var model = new ScriptedChatClient();
        model.BeforeRespond = (agent, _, _) =>
        {
            // The coordinator is answering: meanwhile another instance has taken the turn over.
            if (agent == "coordinator")
            {
                board.HandOver("instance-a", "instance-b");
            }

            return Task.CompletedTask;
        };
        model.For("coordinator", _ => ScriptedChatClient.Say("Hello from instance A"));
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) =>
        {
            s.AddSingleton<IChatClient>(model);
            s.AddSingleton<ITurnStore>(sp => new LeasingTurnStore(new SqliteTurnStore(sp.GetRequiredService<SqliteGovernanceDatabase>()), board, "instance-a"));
        });
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;
        var events = new RecordedEvents();

        var lost = await Assert.ThrowsAsync<TurnLeaseLostException>(() => desk.Conversations.SendAsync(conversation, Alice, "hello", events).WaitAsync(Patience));

        Assert.Equal("instance-b", lost.Holder);
        Assert.Equal([GovernanceEventTypes.TurnMoved], events.All.Where(e => e.Type.StartsWith("turn.", StringComparison.Ordinal)).Select(e => e.Type));
        var saved = await desk.Conversations.GetAsync(conversation);
        Assert.Equal(["user"], saved!.Messages.Select(m => m.Role));
        Assert.True(TurnStatus.IsActive((await desk.Conversations.GetLatestTurnAsync(conversation))!.Status));
    }

    [Fact]
    public async Task CallWithoutApprovalIsNotRunWhenAnotherInstanceClaimedTheTurnAfterItsLastCheckpoint()
    {
        var board = new LeaseBoard();
        var model = new ScriptedChatClient();
        model.For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("ask_billing", new() { ["request"] = Request })
            : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        model.For("billing", m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("billing_issue_refund", new() { ["invoice_id"] = "INV-1002", ["charge_id"] = "CH-2", ["amount"] = System.Text.Json.JsonDocument.Parse("49").RootElement, ["reason"] = "duplicate charge" })
            : ScriptedChatClient.Say("Billing says: " + ScriptedChatClient.LastResult(m)));
        LeasingTurnStore? store = null;
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) =>
        {
            s.AddSingleton<IChatClient>(model);
            s.AddSingleton<ITurnStore>(sp => store = new LeasingTurnStore(new SqliteTurnStore(sp.GetRequiredService<SqliteGovernanceDatabase>()), board, "instance-a"));
        });
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;

        // A writes the checkpoint that records the refund call, then stalls; B claims the turn before A runs the call.
        _ = desk.Services.GetRequiredService<ITurnStore>();
        store!.AfterSave = turn =>
        {
            if (turn.State.Contains("billing_issue_refund", StringComparison.Ordinal))
            {
                board.HandOver("instance-a", "instance-b");
            }
        };
        var lost = await Assert.ThrowsAsync<TurnLeaseLostException>(() => desk.Conversations.SendAsync(conversation, Alice, Request).WaitAsync(Patience));

        // The refund needs no approval, so no checkpoint write stood between the claim and the call: the fence did.
        Assert.Equal("instance-b", lost.Holder);
        Assert.Equal(0, desk.RefundsPaid("INV-1002"));
        var runId = (await desk.Conversations.GetLatestTurnAsync(conversation))!.RunId;
        Assert.DoesNotContain(await desk.AuditAsync(runId), e => e.Tool == "billing/issue_refund" && e.Kind is GovernanceEventTypes.ToolCompleted or GovernanceEventTypes.ToolFailed);
        Assert.Empty(desk.Conversations.RunningTurnIds);
    }

    [Fact]
    public async Task TurnClaimedBackByItsOwnInstanceStopsTheStaleRunThereAndTheFreshRunPaysOnce()
    {
        var board = new LeaseBoard();
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) =>
        {
            s.AddSingleton<IChatClient>(model);
            s.AddSingleton<ITurnStore>(sp => new LeasingTurnStore(new SqliteTurnStore(sp.GetRequiredService<SqliteGovernanceDatabase>()), board, "instance-a"));
        });
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;
        var events = new RecordedEvents();
        var stale = desk.Conversations.SendAsync(conversation, Alice, Request, events);
        var pending = await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending).WaitAsync(Patience);
        var runId = (await desk.Conversations.GetLatestTurnAsync(conversation))!.RunId;
        Assert.Equal([runId], desk.Conversations.RunningTurnIds);

        // A stalls, B claims the turn and dies, A claims it back: the run still waiting here holds the oldest claim.
        board.Expire("instance-a");
        var b = new LeasingTurnStore(new SqliteTurnStore(desk.Services.GetRequiredService<SqliteGovernanceDatabase>()), board, "instance-b");
        Assert.Single(await b.ClaimUnfinishedAsync());
        board.Expire("instance-b");
        var claimed = Assert.Single(await desk.Services.GetRequiredService<ITurnStore>().ClaimUnfinishedAsync());
        Assert.Equal(2, claimed.LeaseEpoch);

        Assert.Equal(1, desk.Conversations.StopOlderRuns(claimed));
        await Assert.ThrowsAsync<TurnLeaseLostException>(() => stale.WaitAsync(Patience));
        Assert.Empty(desk.Conversations.RunningTurnIds);

        var resumed = desk.Conversations.ResumeAsync(claimed);
        await desk.Approvals.DecideAsync(pending.ApprovalId!, Bob, approve: true, "duplicate confirmed");
        Assert.Contains("refund_id", (await resumed.WaitAsync(Patience))!.Reply, StringComparison.Ordinal);
        Assert.Equal(1, desk.RefundsPaid("INV-1006"));
        Assert.Equal(0, desk.Conversations.StopOlderRuns(claimed));
    }

    private static ScriptedChatClient RefundModel()
    {
        var model = new ScriptedChatClient();
        model.For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("ask_billing", new() { ["request"] = Request })
            : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        model.For("billing", m => ScriptedChatClient.ToolResults(m) switch
        {
            0 => ScriptedChatClient.Call("billing_get_invoice", new() { ["invoice_id"] = "INV-1006" }),
            1 => ScriptedChatClient.Call("billing_issue_refund", new() { ["invoice_id"] = "INV-1006", ["charge_id"] = "CH-8", ["amount"] = System.Text.Json.JsonDocument.Parse("150.00").RootElement, ["reason"] = "duplicate charge" }),
            _ => ScriptedChatClient.Say("Billing says: " + ScriptedChatClient.LastResult(m)),
        });
        return model;
    }
}
