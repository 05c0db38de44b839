using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

/// <summary>The demo script driven through a tool loop, with in-memory tools answering like the real MCP servers.</summary>
public sealed class DemoScriptTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";
    private const string Case = "open a case about my login";

    private static readonly MockChatClient Model = new(MockScript.LoadDemo());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DuplicateChargeIsRefundedByBillingAndConfirmedByTheCoordinator(bool streaming)
    {
        var desk = new DemoDesk(Model, streaming);

        var answer = await desk.AskCoordinatorAsync(Refund);

        Assert.Equal("Refunded 49.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-2001.", answer);
        Assert.Equal([("RF-2001", "CH-2", 49.00m, "refund-INV-1002-CH-2-duplicate")], desk.Refunds);

        Assert.Equal(Refund, Assert.Single(desk.AskBilling.Calls)["request"].GetString());
        Assert.Equal("INV-1002", Assert.Single(desk.GetInvoice.Calls)["invoice_id"].GetString());
        var check = Assert.Single(desk.CheckRefund.Calls);
        Assert.Equal("49.00", check["amount"].GetRawText());
        Assert.Equal(3, check["days_since_charge"].GetInt32());
        Assert.Equal("duplicate charge", check["reason"].GetString());
        var refund = Assert.Single(desk.IssueRefund.Calls);
        Assert.Equal(["INV-1002", "CH-2", "49.00", "duplicate charge", "refund-INV-1002-CH-2-duplicate"],
            new[] { "invoice_id", "charge_id", "amount", "reason", "idempotency_key" }.Select(k => refund[k].ToString()));
        Assert.Empty(desk.FindCustomer.Calls);
    }

    [Fact]
    public async Task EachModelCallOfTheRefundTakesOneStep()
    {
        var desk = new DemoDesk(Model);

        await desk.AskCoordinatorAsync(Refund);

        Assert.Equal(
            ["coordinator: ask_billing", "billing: billing_get_invoice", "billing: policy_check_refund", "billing: billing_issue_refund", "billing: text", "coordinator: text"],
            desk.Responses.Select(r => $"{r.Agent}: {string.Join(",", r.Response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).Select(c => c.Name).DefaultIfEmpty("text"))}"));
    }

    [Fact]
    public async Task RefundDeniedByGovernanceIsReportedAndNotPaid()
    {
        var desk = new DemoDesk(Model) { RefundDenial = "The policy rule 'amount <= 20' is not met (amount is 49.00)." };

        var answer = await desk.AskCoordinatorAsync(Refund);

        Assert.Equal("I did not refund the duplicate charge on INV-1002: the refund was not allowed. The policy rule 'amount <= 20' is not met (amount is 49.00).", answer);
        Assert.Empty(desk.Refunds);
    }

    [Fact]
    public async Task RefundTheBillingSystemRefusesIsReportedWithItsReason()
    {
        var desk = new DemoDesk(Model);
        desk.Refunds.Add(("RF-1999", "CH-2", 49.00m, "an-earlier-refund"));

        var answer = await desk.AskCoordinatorAsync(Refund);

        Assert.Equal(
            "I did not refund the duplicate charge on INV-1002: the billing system refused it. Refund of 49.00 exceeds what is still refundable on charge CH-2: 0.00 refundable.",
            answer);
        Assert.Single(desk.Refunds);
    }

    [Fact]
    public async Task AskingForTheSameRefundAgainPaysItOnce()
    {
        var desk = new DemoDesk(Model);

        var first = await desk.AskCoordinatorAsync(Refund);
        var second = await desk.AskCoordinatorAsync(Refund);

        Assert.Equal(first, second);
        Assert.Single(desk.Refunds);
        Assert.Equal(2, desk.IssueRefund.Calls.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LoginCaseIsOpenedBySupportAndReportedByTheCoordinator(bool streaming)
    {
        var desk = new DemoDesk(Model, streaming);

        var answer = await desk.AskCoordinatorAsync(Case);

        Assert.Equal("I opened case CASE-503 for Dana Whitfield: \"Help with login\". Support will follow up by email.", answer);
        Assert.Equal(Case, Assert.Single(desk.AskSupport.Calls)["request"].GetString());
        Assert.Equal("dana@example.com", Assert.Single(desk.FindCustomer.Calls)["query"].GetString());
        var created = Assert.Single(desk.CreateCase.Calls);
        Assert.Equal("CUST-7", created["customer_id"].GetString());
        Assert.Equal("Help with login", created["subject"].GetString());
        Assert.Equal(Case, created["description"].GetString());
        Assert.Empty(desk.AskBilling.Calls);
    }

    [Fact]
    public async Task AnythingElseIsAMissOfTheCoordinator()
    {
        var desk = new DemoDesk(Model);

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => desk.AskCoordinatorAsync("What will the weather be tomorrow?"));

        Assert.Equal(("demo.yaml", "coordinator"), (miss.ScriptName, miss.Agent));
        Assert.Contains("no rule matches this message. Add a rule for it under 'agents: coordinator:'", miss.Message, StringComparison.Ordinal);
        Assert.Empty(desk.AskBilling.Calls);
        Assert.Empty(desk.AskSupport.Calls);
    }

    [Fact]
    public async Task BillingRequestTheScriptDoesNotKnowIsAMissOfTheSpecialist()
    {
        var desk = new DemoDesk(Model);

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => desk.AskCoordinatorAsync("Why is INV-1003 so expensive?"));

        Assert.Equal("billing", miss.Agent);
        Assert.Single(desk.AskBilling.Calls);
        Assert.Empty(desk.GetInvoice.Calls);
    }

    [Fact]
    public async Task ChargedTwiceOnAnInvoiceWithOneChargeIsAMissThatRefundsNothing()
    {
        var desk = new DemoDesk(Model);

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => desk.AskCoordinatorAsync("I was charged twice on INV-1003"));

        Assert.Equal(("billing", 2), (miss.Agent, miss.ModelCall));
        Assert.Contains("{{results.billing_get_invoice.charges.1.amount}} in the arguments of 'policy_check_refund' of the step has no value", miss.Message, StringComparison.Ordinal);
        Assert.Empty(desk.CheckRefund.Calls);
        Assert.Empty(desk.Refunds);
    }

    [Fact]
    public async Task HandOffDeniedByGovernanceIsExplainedToTheUser()
    {
        var askBilling = new FakeTool("ask_billing", _ => Json.Denial("agents/ask_billing", "kill-switch", "The kill switch 'agent:billing' is engaged."));

        var answer = await new AgentLoop(Model).RunAsync("coordinator", Refund, [askBilling]);

        Assert.Equal("I could not hand this to billing: The kill switch 'agent:billing' is engaged.", answer);
    }

    [Fact]
    public async Task HandOffNotOfferedToTheCoordinatorIsNotCalled()
    {
        var desk = new DemoDesk(Model);

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => new AgentLoop(Model).RunAsync("coordinator", Refund, [desk.AskSupport]));

        Assert.Contains("the step calls 'ask_billing', which is not offered to agent 'coordinator' here (offered: ask_support)", miss.Message, StringComparison.Ordinal);
        Assert.Empty(desk.AskSupport.Calls);
    }
}
