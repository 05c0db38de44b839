using System.Text.Json;
using AgentSuite.AgentFramework.Tests.Support;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

// Agent Framework has an AgentRunContext of its own (its run's agent and session); governance's is the one meant here.
using AgentRunContext = AgentSuite.Governance.AgentRunContext;

namespace AgentSuite.AgentFramework.Tests;

/// <summary>
/// The governance core under Microsoft Agent Framework: the same <see cref="GovernedTool"/>s over the real Billing and
/// Policy plugins, called by a <see cref="ChatClientAgent"/> (M.E.AI's FunctionInvokingChatClient runs the tool loop),
/// are allowed, denied, approved and audited as the desk scenarios expect them to be on the product's own runtime.
/// </summary>
public sealed class GovernedChatClientAgentTests
{
    private const string DuplicateCharge = "I was charged twice on INV-1002, please refund it";

    /// <summary>Generous: the machine is slow and shared. Nothing asserts on how long anything took.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly Principal Alice = new("alice", Roles.User);
    private static readonly Principal Bob = new("bob", Roles.User, Roles.Approver);

    private static AgentRunContext Run(string run, IGovernanceEventSink? events = null) =>
        new("conv-af", run, BillingAgentDesk.Agent, Alice) { Events = events };

    [Fact]
    public async Task AllowedCallsRunOnceEachWithOneDecisionAndOneOutcomeAttributedToTheRun()
    {
        await using var desk = await BillingAgentDesk.StartAsync();

        var response = await desk.RunAsync(Run("run-allowed"), DuplicateCharge).WaitAsync(Patience);

        Assert.Matches(@"Refunded 49(\.0+)? USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+", response.Text);
        Assert.Equal(1, desk.RefundsPaid());
        var trail = ToolTrail(await desk.AuditAsync("run-allowed"));
        Assert.Equal(
        [
            ("call_1", "billing/get_invoice", "tool.decision", "allowed"),
            ("call_1", "billing/get_invoice", "tool.completed", "completed"),
            ("call_2", "policy/check_refund", "tool.decision", "allowed"),
            ("call_2", "policy/check_refund", "tool.completed", "completed"),
            ("call_3", "billing/issue_refund", "tool.decision", "allowed"),
            ("call_3", "billing/issue_refund", "tool.completed", "completed"),
        ],
        trail.Select(e => (e.ToolCallId!, e.Tool!, e.Kind, e.Decision!)));
        Assert.All(trail, e => Assert.Equal(("conv-af", "billing", "alice"), (e.ConversationId, e.Agent, e.Principal)));
        Assert.True(await desk.AuditVerifiesAsync());
    }

    [Fact]
    public async Task CallOutsideTheAllowListNeverRunsAndTheModelReadsTheDenial()
    {
        // The billing specialist may read invoices and the policy, but not refund.
        await using var desk = await BillingAgentDesk.StartAsync(o => o.Agents["billing"] = new() { Allow = ["billing/get_*", "policy/*"] });

        var response = await desk.RunAsync(Run("run-allow-list"), DuplicateCharge).WaitAsync(Patience);

        Assert.Equal("I did not refund the duplicate charge on INV-1002: Agent 'billing' is not allowed to call 'billing/issue_refund'.", response.Text);
        Assert.Equal(0, desk.RefundsPaid());
        var read = DenialTheModelRead(response, "call_3");
        Assert.Equal(("denied", "billing/issue_refund", "allow-list"), (read.GetProperty("status").GetString(), read.GetProperty("tool").GetString(), read.GetProperty("stage").GetString()));
        var denial = Assert.Single(await desk.AuditAsync("run-allow-list"), e => e.Tool == "billing/issue_refund");
        Assert.Equal(("tool.decision", "denied", "call_3", "billing", "alice"), (denial.Kind, denial.Decision, denial.ToolCallId, denial.Agent, denial.Principal));
        Assert.Equal("allow-list", denial.Data!.Value.GetProperty("stage").GetString());
        Assert.True(await desk.AuditVerifiesAsync());
    }

    [Fact]
    public async Task CallBreakingAnArgumentRuleNeverRunsAndTheModelReadsTheDenial()
    {
        await using var desk = await BillingAgentDesk.StartAsync(o => o.Constraints.Add(new()
        {
            Tool = "billing/issue_refund",
            Rule = "amount <= 40",
            Message = "Refunds above 40 go to the finance team, not to an agent.",
        }));

        var response = await desk.RunAsync(Run("run-arguments"), DuplicateCharge).WaitAsync(Patience);

        Assert.StartsWith("I did not refund the duplicate charge on INV-1002: ", response.Text, StringComparison.Ordinal);
        Assert.Contains("Refunds above 40 go to the finance team, not to an agent.", response.Text, StringComparison.Ordinal);
        Assert.Equal(0, desk.RefundsPaid());
        Assert.Equal("arguments", DenialTheModelRead(response, "call_3").GetProperty("stage").GetString());
        var denial = Assert.Single(await desk.AuditAsync("run-arguments"), e => e.Tool == "billing/issue_refund");
        Assert.Equal(("tool.decision", "denied", "call_3"), (denial.Kind, denial.Decision, denial.ToolCallId));
        Assert.Equal("arguments", denial.Data!.Value.GetProperty("stage").GetString());
        Assert.Equal(49m, denial.Data!.Value.GetProperty("arguments").GetProperty("amount").GetDecimal());
        Assert.True(await desk.AuditVerifiesAsync());
    }

    [Fact]
    public async Task CallNeedingApprovalWaitsThenRunsOnceWhenAnotherPersonApproves()
    {
        await using var desk = await BillingAgentDesk.StartAsync(o =>
        {
            o.Approval.Rules.Clear();
            o.Approval.Rules.Add(new() { Tool = "billing/issue_refund", When = "amount > 40", Reason = "Refunds above 40 need a second person." });
        });
        var approvals = desk.Services.GetRequiredService<ApprovalService>();
        var events = new RecordingEvents();

        var turn = desk.RunAsync(Run("run-approval", events), DuplicateCharge);
        var pending = await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience);

        // Waiting: the agent's turn is open and nothing is paid; the request holds the exact call.
        var request = (await approvals.GetAsync(pending.ApprovalId!))!;
        Assert.Equal((ApprovalStatus.Pending, "billing/issue_refund", "call_3", "alice"), (request.Status, request.Tool, request.ToolCallId, request.RequestedBy));
        Assert.Equal(49m, JsonDocument.Parse(request.Arguments).RootElement.GetProperty("amount").GetDecimal());
        Assert.Equal(0, desk.RefundsPaid());
        Assert.False(turn.IsCompleted);

        var self = await Assert.ThrowsAsync<ApprovalException>(() => approvals.DecideAsync(request.Id, new Principal("alice", Roles.Approver), approve: true, "mine"));
        Assert.Equal(ApprovalErrorKind.SelfApproval, self.Kind);
        await approvals.DecideAsync(request.Id, Bob, approve: true, "duplicate confirmed");
        var response = await turn.WaitAsync(Patience);

        Assert.Matches(@"Refunded 49(\.0+)? USD .* the refund id is RF-\d+", response.Text);
        Assert.Equal(1, desk.RefundsPaid());
        var refund = (await desk.AuditAsync("run-approval")).Where(e => e.Tool == "billing/issue_refund").ToList();
        Assert.Equal(
        [
            ("approval.requested", null, "alice"),
            ("approval.resolved", "approved", "bob"),
            ("tool.decision", "allowed", "alice"),
            ("tool.completed", "completed", "alice"),
        ],
        refund.Select(e => (e.Kind, e.Decision, e.Principal!)));
        Assert.All(refund, e => Assert.Equal("call_3", e.ToolCallId));
        Assert.Equal(request.Id, refund[2].Data!.Value.GetProperty("approvalId").GetString());
        Assert.Equal(request.ArgumentsHash, refund[2].Data!.Value.GetProperty("argumentsHash").GetString());
        Assert.True(await desk.AuditVerifiesAsync());
    }

    /// <summary>Tool entries (decisions and outcomes) in sequence order; approval entries are left out.</summary>
    private static List<AuditEntry> ToolTrail(IEnumerable<AuditEntry> entries) =>
        [.. entries.Where(e => e.Kind.StartsWith("tool.", StringComparison.Ordinal))];

    /// <summary>The result Agent Framework's tool loop sent back to the model for <paramref name="callId"/>.</summary>
    private static JsonElement DenialTheModelRead(AgentResponse response, string callId)
    {
        var result = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single(r => r.CallId == callId);
        return Assert.IsType<JsonElement>(result.Result);
    }
}
