using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Idempotency;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AgentSuite.Agents.Tests.DeskHarness;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// Turns that outlive their process, in process: a turn is stopped as a host stopping stops it (its token), the
/// services are disposed and built again on the same governance database and plugin data, and the new "process" resumes
/// what the store says is unfinished. The model is scripted with random call ids, as a real model's are, and the refund
/// sends no idempotency key, so paying once rests on governance alone. (SIGKILL runs of the real Api are in
/// AgentSuite.Durability.Tests.)
/// </summary>
public sealed class DurableTurnTests
{
    private const string Request = "Please refund the duplicate charge on INV-1006";

    [Fact]
    public async Task TurnWaitingForApprovalIsResumedAfterARestartAndThePaymentRunsOnceWhenApproved()
    {
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) => s.AddSingleton<IChatClient>(model));
        var (conversation, approval) = await StopWhileWaitingAsync(desk);
        var billingAsked = model.Sent.Count(s => s.Agent == "billing");

        await desk.RestartAsync();
        var unfinished = Assert.Single(await desk.Conversations.ListActiveTurnsAsync());
        Assert.Equal(TurnStatus.Waiting, unfinished.Status);
        Assert.Equal(approval.Id, unfinished.ApprovalId);
        var events = new RecordedEvents();
        var resumed = desk.Conversations.ResumeAsync(unfinished, events);

        // The same request waits again: no second approval, and the model is not asked for the refund again.
        await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending && e.ApprovalId == approval.Id).WaitAsync(Patience);
        Assert.Single(await desk.Approvals.ListAsync(null));
        await desk.Approvals.DecideAsync(approval.Id, Bob, approve: true, "checked the statement");
        var result = await resumed.WaitAsync(Patience);

        Assert.NotNull(result);
        Assert.Contains("refund_id", result.Reply, StringComparison.Ordinal);
        Assert.Equal(1, desk.RefundsPaid("INV-1006"));
        Assert.Equal(billingAsked + 1, model.Sent.Count(s => s.Agent == "billing"));
        var saved = await desk.Conversations.GetAsync(conversation);
        Assert.Equal(["user", "assistant"], saved!.Messages.Select(m => m.Role));
        Assert.Equal(TurnStatus.Completed, (await desk.Conversations.GetLatestTurnAsync(conversation))!.Status);

        var audit = await desk.AuditAsync(result.RunId);
        var kinds = audit.Select(e => e.Kind).ToList();
        Assert.Contains(GovernanceEventTypes.TurnResumed, kinds);
        Assert.True(kinds.IndexOf(GovernanceEventTypes.TurnResumed) < kinds.IndexOf("approval.resolved"));
        Assert.Single(audit, e => e.Tool == "billing/issue_refund" && e.Kind == GovernanceEventTypes.ToolCompleted);
        Assert.Single(audit, e => e.Tool == "agents/ask_billing" && e.Kind == GovernanceEventTypes.ToolCompleted);
        Assert.DoesNotContain(audit, e => e.Reason?.Contains("Outcome unknown", StringComparison.Ordinal) == true);
        Assert.True(await desk.AuditVerifiesAsync());
    }

    [Fact]
    public async Task DecisionMadeWhileNoProcessRunsTheTurnIsAppliedWhenItResumes()
    {
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) => s.AddSingleton<IChatClient>(model));
        var (_, approval) = await StopWhileWaitingAsync(desk);

        await desk.RestartAsync();
        await desk.Approvals.DecideAsync(approval.Id, Bob, approve: false, "not a duplicate");
        var unfinished = Assert.Single(await desk.Conversations.ListActiveTurnsAsync());
        var result = await desk.Conversations.ResumeAsync(unfinished).WaitAsync(Patience);

        Assert.Contains("denied by bob", result!.Reply, StringComparison.Ordinal);
        Assert.Equal(0, desk.RefundsPaid("INV-1006"));
    }

    [Fact]
    public async Task ModelCallInFlightWhenTheProcessStoppedIsAskedAgainFromTheCheckpoint()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = RefundModel(hold.Task, holding);
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, governance: o => o.Approval.Rules.Clear(), services: (_, s) => s.AddSingleton<IChatClient>(model));
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;
        using var stop = new CancellationTokenSource();
        var turn = desk.Conversations.SendAsync(conversation, Alice, Request, cancellationToken: stop.Token);

        // Billing's second model call (the one that would ask for the refund) is in flight.
        await holding.Task.WaitAsync(Patience);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn);

        await desk.RestartAsync();
        hold.SetResult();
        var result = await desk.Conversations.ResumeAsync(Assert.Single(await desk.Conversations.ListActiveTurnsAsync())).WaitAsync(Patience);

        Assert.True(result!.Reply.Contains("refund_id", StringComparison.Ordinal), result.Reply);
        Assert.Equal(1, desk.RefundsPaid("INV-1006"));

        // The invoice was read once: its result came back from the checkpoint, and the model was asked again with it.
        var audit = await desk.AuditAsync(result.RunId);
        Assert.Single(audit, e => e.Tool == "billing/get_invoice" && e.Kind == GovernanceEventTypes.ToolCompleted);
        var asked = model.Sent.Where(s => s.Agent == "billing").Select(s => ScriptedChatClient.ToolResults(s.Messages)).ToList();
        Assert.Equal([0, 1, 1, 2], asked);
    }

    [Fact]
    public async Task CallCutOffMidRunIsNeverRunAgainAndTheModelAndTheAuditSayOutcomeUnknown()
    {
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, governance: o => o.Approval.Rules.Clear(), services: (_, s) => s.AddSingleton<IChatClient>(model));
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;
        using var stop = new CancellationTokenSource();

        // The host stops while the refund is running: whether it took effect is unknown to governance.
        var events = new RecordedEvents { OnPublish = e => { if (e.Type == GovernanceEventTypes.ToolDecision && e.Tool == "billing/issue_refund") stop.Cancel(); } };
        var turn = desk.Conversations.SendAsync(conversation, Alice, Request, events, stop.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn);

        await desk.RestartAsync();
        var result = await desk.Conversations.ResumeAsync(Assert.Single(await desk.Conversations.ListActiveTurnsAsync())).WaitAsync(Patience);

        Assert.Contains("Outcome unknown", result!.Reply, StringComparison.Ordinal);
        Assert.True(desk.RefundsPaid("INV-1006") <= 1);
        var audit = await desk.AuditAsync(result.RunId);
        Assert.Contains(audit, e => e.Tool == "billing/issue_refund" && e.Decision == "denied" && e.Reason!.StartsWith("Outcome unknown", StringComparison.Ordinal));
        Assert.True(await desk.AuditVerifiesAsync());
    }

    [Fact]
    public async Task TurnThatCannotBeResumedIsAbandonedAndItsApprovalCannotBeDecided()
    {
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) => s.AddSingleton<IChatClient>(model));
        var (conversation, approval) = await StopWhileWaitingAsync(desk);

        await desk.RestartAsync();
        var unfinished = Assert.Single(await desk.Conversations.ListActiveTurnsAsync());
        Assert.Null(await desk.Conversations.ResumeAsync(unfinished with { State = """{"version":99}""" }));

        var turn = await desk.Conversations.GetLatestTurnAsync(conversation);
        Assert.Equal(TurnStatus.Abandoned, turn!.Status);
        var refused = await Assert.ThrowsAsync<ApprovalException>(() => desk.Approvals.DecideAsync(approval.Id, Bob, approve: true, null));
        Assert.Contains("withdrawn: its turn was abandoned", refused.Message, StringComparison.Ordinal);
        Assert.Contains(await desk.AuditAsync(unfinished.RunId), e => e.Kind == GovernanceEventTypes.TurnAbandoned);
        Assert.Equal(0, desk.RefundsPaid("INV-1006"));
    }

    [Fact]
    public async Task DecidingAnApprovalWhoseTurnEndedIsRefusedSayingWhy()
    {
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) => s.AddSingleton<IChatClient>(model));
        var (conversation, approval) = await StopWhileWaitingAsync(desk);
        await desk.RestartAsync();

        // The turn's end is recorded by another party while its request is still pending (as a crash between the two writes would leave it).
        var unfinished = Assert.Single(await desk.Conversations.ListActiveTurnsAsync());
        await desk.Services.GetRequiredService<ITurnStore>().FinishAsync(unfinished with { Status = TurnStatus.Failed, Reason = "the model kept failing", EndedAt = DateTimeOffset.UtcNow }, null);

        var refused = await Assert.ThrowsAsync<ApprovalException>(() => desk.Approvals.DecideAsync(approval.Id, Bob, approve: true, null));
        Assert.Equal(ApprovalErrorKind.TurnEnded, refused.Kind);
        Assert.Contains("ended as failed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Denied, (await desk.Approvals.GetAsync(approval.Id))!.Status);
        Assert.Equal(0, desk.RefundsPaid("INV-1006"));
        Assert.Equal(TurnStatus.Failed, (await desk.Conversations.GetLatestTurnAsync(conversation))!.Status);
    }

    [Fact]
    public async Task SecondMessageWhileATurnIsUnfinishedIsRefusedEvenAcrossARestart()
    {
        var model = RefundModel();
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) => s.AddSingleton<IChatClient>(model));
        var (conversation, _) = await StopWhileWaitingAsync(desk);
        await desk.RestartAsync();

        await Assert.ThrowsAsync<ConversationBusyException>(() => desk.Conversations.SendAsync(conversation, Alice, "hello?"));
        Assert.Single((await desk.Conversations.GetAsync(conversation))!.Messages);
    }

    /// <summary>Alice asks for the 150.00 refund, which waits for a person; then the "host" stops the turn.</summary>
    private static async Task<(string Conversation, ApprovalRequest Approval)> StopWhileWaitingAsync(DeskHarness desk)
    {
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;
        using var stop = new CancellationTokenSource();
        var events = new RecordedEvents();
        var turn = desk.Conversations.SendAsync(conversation, Alice, Request, events, stop.Token);
        var pending = await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending).WaitAsync(Patience);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn);
        var approval = await desk.Approvals.GetAsync(pending.ApprovalId!);
        Assert.Equal(ApprovalStatus.Pending, approval!.Status);
        Assert.Equal(0, desk.RefundsPaid("INV-1006"));
        return (conversation, approval);
    }

    /// <summary>
    /// The coordinator hands off to billing, which reads INV-1006 and refunds its second 150.00 charge, with no idempotency
    /// key; call ids are random. <paramref name="beforeRefund"/> holds billing's second model call until it completes.
    /// </summary>
    private static ScriptedChatClient RefundModel(Task? beforeRefund = null, TaskCompletionSource? holding = null)
    {
        var model = new ScriptedChatClient();
        var held = 0;
        if (beforeRefund is not null)
        {
            model.BeforeRespond = async (agent, messages, cancellationToken) =>
            {
                if (agent == "billing" && ScriptedChatClient.ToolResults(messages) == 1 && Interlocked.Exchange(ref held, 1) == 0)
                {
                    holding?.TrySetResult();
                    await beforeRefund.WaitAsync(cancellationToken);
                }
            };
        }

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
