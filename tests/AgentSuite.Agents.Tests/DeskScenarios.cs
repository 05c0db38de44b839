using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Mcp;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static AgentSuite.Agents.Tests.DeskHarness;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// The product end to end through the conversation service: a user's message to the coordinator, the demo mock script,
/// the real plugin servers, governance on real SQLite. Each scenario checks the Billing or CRM server's own data (what
/// really happened) and the audit (who did what, in order). The same scenarios run over stdio and over HTTP.
/// </summary>
public abstract class DeskScenarios
{
    protected const string DuplicateCharge = "I was charged twice on INV-1002, please refund it";

    protected abstract PluginTransport Transport { get; }

    /// <summary>The demo refund is 49.00; with this rule it waits for a person.</summary>
    private static void RefundsAbove40NeedApproval(Governance.Configuration.GovernanceOptions o)
    {
        o.Approval.Rules.Clear();
        o.Approval.Rules.Add(new() { Tool = "billing/issue_refund", When = "amount > 40", Reason = "Refunds above 40 need a second person." });
    }

    [Fact]
    public async Task SmallRefundRunsAtOncePaysOnceAndTheAuditSaysWhoDidWhat()
    {
        await using var desk = await StartAsync(Transport);
        var conversation = await desk.Conversations.CreateAsync(Alice);

        var turn = await desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge).WaitAsync(Patience);
        var again = await desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge).WaitAsync(Patience);

        Assert.Matches(@"Refunded 49(\.0+)? USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+", turn.Reply);
        var trail = ToolTrail(await desk.AuditAsync(turn.RunId));
        Assert.Equal(
        [
            ("coordinator", "agents/ask_billing", "allowed"),
            ("billing", "billing/get_invoice", "allowed"),
            ("billing", "billing/get_invoice", "completed"),
            ("billing", "policy/check_refund", "allowed"),
            ("billing", "policy/check_refund", "completed"),
            ("billing", "billing/issue_refund", "allowed"),
            ("billing", "billing/issue_refund", "completed"),
            ("coordinator", "agents/ask_billing", "completed"),
        ],
        trail.Select(e => (e.Agent!, e.Tool!, e.Decision!)));
        Assert.All(trail, e => Assert.Equal(("alice", conversation.Id), (e.Principal, e.ConversationId)));
        AssertEveryDecisionNamesItsArguments(trail);

        // The hand-off tree: the specialist's calls sit under the coordinator's hand-off call.
        var handOff = trail[0].ToolCallId!;
        Assert.All(trail.Where(e => e.Agent == "billing"), e => Assert.StartsWith(handOff + "/", e.ToolCallId, StringComparison.Ordinal));
        Assert.Equal(4, trail.Select(e => e.ToolCallId).Distinct().Count());
        Assert.True(await desk.AuditVerifiesAsync());

        // Asking again in the same conversation is answered from the idempotency record: the refund is not paid twice.
        Assert.NotEqual(turn.RunId, again.RunId);
        Assert.Contains(await desk.AuditAsync(again.RunId), e => (e.Tool, e.Decision) == ("billing/issue_refund", "replayed"));
        Assert.Equal(1, desk.RefundsPaid("INV-1002"));
    }

    [Fact]
    public async Task CaseRequestIsRoutedToSupportWhichOpensACase()
    {
        await using var desk = await StartAsync(Transport);
        var conversation = await desk.Conversations.CreateAsync(Alice);

        var turn = await desk.Conversations.SendAsync(conversation.Id, Alice, "open a case about my login").WaitAsync(Patience);

        Assert.Matches(@"CASE-\d+", turn.Reply);
        Assert.Equal(1, desk.Count(desk.DataFiles["crm"], "SELECT COUNT(*) FROM cases WHERE subject LIKE '%login%'"));
        var trail = ToolTrail(await desk.AuditAsync(turn.RunId));
        Assert.Contains(trail, e => (e.Agent, e.Tool, e.Decision) == ("coordinator", "agents/ask_support", "allowed"));
        Assert.Contains(trail, e => (e.Agent, e.Tool, e.Decision) == ("support", "crm/create_case", "completed"));
        Assert.DoesNotContain(trail, e => e.Tool!.StartsWith("billing/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefundAboveTheThresholdWaitsThenPaysExactlyOnceWhenAnotherPersonApproves()
    {
        await using var desk = await StartAsync(Transport, RefundsAbove40NeedApproval);
        var conversation = await desk.Conversations.CreateAsync(Alice);
        var events = new RecordedEvents();

        var turn = desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge, events);
        var pending = await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending).WaitAsync(Patience);

        // Waiting: nothing paid, the turn still open, and the request shows the specialist's exact call.
        Assert.Equal(("billing", "billing/issue_refund", "Refunds above 40 need a second person."), (pending.Agent, pending.Tool, pending.Reason));
        var request = (await desk.Approvals.GetAsync(pending.ApprovalId!))!;
        Assert.Equal(ApprovalStatus.Pending, request.Status);
        Assert.Equal(49m, JsonDocument.Parse(request.Arguments).RootElement.GetProperty("amount").GetDecimal());
        Assert.Equal(0, desk.RefundsPaid("INV-1002"));
        Assert.False(turn.IsCompleted);
        Assert.Throws<ConversationBusyException>(() => desk.Conversations.SendAsync(conversation.Id, Alice, "hello?").GetAwaiter().GetResult());

        // The person who asked cannot release it, even holding the approver role.
        var self = await Assert.ThrowsAsync<ApprovalException>(() => desk.Approvals.DecideAsync(request.Id, new Principal("alice", Roles.Approver), approve: true, "mine"));
        Assert.Equal(ApprovalErrorKind.SelfApproval, self.Kind);

        await desk.Approvals.DecideAsync(request.Id, Bob, approve: true, "duplicate confirmed");
        var done = await turn.WaitAsync(Patience);

        Assert.Matches(@"Refunded 49(\.0+)? USD .* the refund id is RF-\d+", done.Reply);
        Assert.Equal(1, desk.RefundsPaid("INV-1002"));
        var trail = (await desk.AuditAsync(done.RunId)).Where(e => e.Tool == "billing/issue_refund").ToList();
        Assert.Equal(
        [
            ("approval.requested", null, "alice"),
            ("approval.resolved", "approved", "bob"),
            ("tool.decision", "allowed", "alice"),
            ("tool.completed", "completed", "alice"),
        ],
        trail.Select(e => (e.Kind, e.Decision, e.Principal!)));
        Assert.Equal(request.Id, trail[2].Data!.Value.GetProperty("approvalId").GetString());
        Assert.Equal(request.ArgumentsHash, trail[2].Data!.Value.GetProperty("argumentsHash").GetString());
        Assert.Contains(events.All, e => e.Type == GovernanceEventTypes.ApprovalResolved && e.Decision == "approved");
        Assert.True(await desk.AuditVerifiesAsync());
    }

    [Fact]
    public async Task RefundTheApproverDeniesIsNeverPaidAndTheCustomerIsToldWhy()
    {
        await using var desk = await StartAsync(Transport, RefundsAbove40NeedApproval);
        var conversation = await desk.Conversations.CreateAsync(Alice);
        var events = new RecordedEvents();

        var turn = desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge, events);
        var pending = await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending).WaitAsync(Patience);
        await desk.Approvals.DecideAsync(pending.ApprovalId!, Bob, approve: false, "second charge is a separate seat");
        var done = await turn.WaitAsync(Patience);

        Assert.Contains("I did not refund the duplicate charge on INV-1002", done.Reply, StringComparison.Ordinal);
        Assert.Contains("denied by bob: second charge is a separate seat", done.Reply, StringComparison.Ordinal);
        Assert.Equal(0, desk.RefundsPaid("INV-1002"));
        var refund = (await desk.AuditAsync(done.RunId)).Where(e => e.Tool == "billing/issue_refund").ToList();
        Assert.Equal(
        [
            ("approval.requested", null),
            ("approval.resolved", "denied"),
            ("tool.decision", "denied"),
        ],
        refund.Select(e => (e.Kind, e.Decision)));
        Assert.Equal("approval", refund[2].Data!.Value.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task RefundNobodyDecidesTimesOutIsNeverPaidAndCannotBeApprovedLate()
    {
        await using var desk = await StartAsync(Transport, o =>
        {
            RefundsAbove40NeedApproval(o);
            o.Approval.Timeout = TimeSpan.FromSeconds(2);
        });
        var conversation = await desk.Conversations.CreateAsync(Alice);
        var events = new RecordedEvents();

        var done = await desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge, events).WaitAsync(Patience);
        var pending = events.All.Single(e => e.Type == GovernanceEventTypes.ApprovalPending);

        Assert.Contains("got no decision before the timeout, so the call was not run", done.Reply, StringComparison.Ordinal);
        Assert.Equal(0, desk.RefundsPaid("INV-1002"));
        Assert.Equal(ApprovalStatus.TimedOut, (await desk.Approvals.GetAsync(pending.ApprovalId!))!.Status);
        var late = await Assert.ThrowsAsync<ApprovalException>(() => desk.Approvals.DecideAsync(pending.ApprovalId!, Bob, approve: true, "sorry, was at lunch"));
        Assert.Equal(ApprovalErrorKind.AlreadyDecided, late.Kind);
        Assert.Equal(0, desk.RefundsPaid("INV-1002"));
        Assert.Contains(await desk.AuditAsync(done.RunId), e => (e.Kind, e.Decision, e.Principal) == ("approval.resolved", "timed_out", "system"));
    }

    [Fact]
    public async Task ToolOutsideTheSpecialistsAllowListIsDeniedAndTheModelSaysSo()
    {
        // The billing specialist may read invoices and the policy, but not refund.
        await using var desk = await StartAsync(Transport, o => o.Agents["billing"] = new() { Allow = ["billing/get_*", "policy/*"] });
        var conversation = await desk.Conversations.CreateAsync(Alice);

        var done = await desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge).WaitAsync(Patience);

        Assert.Contains("I did not refund the duplicate charge on INV-1002: the refund was not allowed.", done.Reply, StringComparison.Ordinal);
        Assert.Contains("Agent 'billing' is not allowed to call 'billing/issue_refund'.", done.Reply, StringComparison.Ordinal);
        Assert.Equal(0, desk.RefundsPaid("INV-1002"));
        var denial = Assert.Single(await desk.AuditAsync(done.RunId), e => e.Tool == "billing/issue_refund");
        Assert.Equal(("tool.decision", "denied", "billing", "alice"), (denial.Kind, denial.Decision, denial.Agent, denial.Principal));
        Assert.Equal("allow-list", denial.Data!.Value.GetProperty("stage").GetString());
    }

    /// <summary>Tool entries (decisions and outcomes) in sequence order; approval entries are left out.</summary>
    protected static List<AuditEntry> ToolTrail(IEnumerable<AuditEntry> entries) =>
        [.. entries.Where(e => e.Kind.StartsWith("tool.", StringComparison.Ordinal))];

    private static void AssertEveryDecisionNamesItsArguments(IEnumerable<AuditEntry> trail)
    {
        foreach (var decision in trail.Where(e => e.Kind == "tool.decision"))
        {
            Assert.Matches("^[0-9a-f]{64}$", decision.Data!.Value.GetProperty("argumentsHash").GetString());
        }
    }
}

public sealed class DeskScenariosOverStdio : DeskScenarios
{
    protected override PluginTransport Transport => PluginTransport.Stdio;

    [Fact]
    public async Task PluginKilledMidCallIsAClearFailureTheNextTurnReconnectsAndTheAuditLosesNothing()
    {
        // The Billing server dies at the worst moment: governance has allowed and audited get_invoice, and the request
        // is on its way. The server is frozen just before the request is written and killed just after, so it never answers.
        CrashingTransportFactory? crash = null;
        await using var desk = await StartAsync(Transport, settings: new Dictionary<string, string?> { ["Mcp:CallTimeout"] = "00:00:15" }, services: (desk, services) => services.AddSingleton<IMcpTransportFactory>(sp =>
        {
            System.Diagnostics.Process? frozen = null;
            return crash = new CrashingTransportFactory(
                new McpTransportFactory(sp.GetRequiredService<ILoggerFactory>()),
                "billing",
                "get_invoice",
                beforeSend: () => frozen = PluginProcesses.FreezeServerUsing(desk.DataFiles["billing"]),
                afterSend: () =>
                {
                    frozen!.Kill();
                    frozen.WaitForExit(10_000);
                    frozen.Dispose();
                });
        }));
        var conversation = await desk.Conversations.CreateAsync(Alice);
        var events = new RecordedEvents();

        var failed = await desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge, events).WaitAsync(Patience);
        var retried = await desk.Conversations.SendAsync(conversation.Id, Alice, DuplicateCharge).WaitAsync(Patience);

        Assert.True(crash!.Fired);
        Assert.Contains("billing_get_invoice", failed.Reply, StringComparison.Ordinal);
        Assert.Contains("it may or may not have run", failed.Reply, StringComparison.Ordinal);
        Assert.Contains(events.All, e => (e.Type, e.Tool) == (GovernanceEventTypes.ToolFailed, "billing/get_invoice"));
        Assert.Matches(@"Refunded 49(\.0+)? USD .* the refund id is RF-\d+", retried.Reply);
        Assert.Equal(1, desk.RefundsPaid("INV-1002"));
        Assert.Equal(2, desk.Catalog.Connection("billing").Connects);

        // Every call governance let through has its outcome in the audit, and the chain is intact.
        var all = await desk.AuditAsync();
        Assert.Contains(all, e => (e.RunId, e.Tool, e.Kind) == (failed.RunId, "billing/get_invoice", "tool.failed"));
        foreach (var allowed in all.Where(e => (e.Kind, e.Decision) == ("tool.decision", "allowed")))
        {
            Assert.Single(all, e => e.ToolCallId == allowed.ToolCallId && e.RunId == allowed.RunId && e.Kind is "tool.completed" or "tool.failed");
        }

        Assert.True(await desk.AuditVerifiesAsync());
    }
}

public sealed class DeskScenariosOverHttp : DeskScenarios
{
    protected override PluginTransport Transport => PluginTransport.Http;
}
