using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

public sealed class TemplateTests
{
    private const string Invoice = """
        {"invoice_id":"INV-1002","currency":"USD","total":49.00,"customer":{"name":"Dana Whitfield"},
         "charges":[{"charge_id":"CH-1","amount":49.00},{"charge_id":"CH-2","amount":49.00}],"refunds":[],"note":null}
        """;

    private static readonly ChatOptions Billing = Chat.For("billing", "billing_get_invoice", "policy_check_refund", "billing_issue_refund");

    /// <summary>The reply the template renders to, or the message of the script miss it makes.</summary>
    private static async Task<string> RenderAfterInvoiceAsync(string template, object? invoiceResult)
    {
        var client = Mock.Client($$"""
            agents:
              billing:
                - when: (?<verb>\w+) (INV-\d+)
                  steps:
                    - call: billing_get_invoice
                    - reply: '{{template}}'
            """);
        try
        {
            var response = await client.AskAsync(Billing,
                Chat.User("refund INV-1002"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", invoiceResult));
            return response.Text;
        }
        catch (MockScriptMissException miss)
        {
            return miss.Message;
        }
    }

    [Fact]
    public async Task UserAndMatchGroupsRenderByNameAndNumber()
    {
        Assert.Equal("refund INV-1002 | refund | INV-1002 | billing", await RenderAfterInvoiceAsync("{{user}} | {{match.verb}} | {{match.1}} | {{agent}}", Json.Parse(Invoice)));
    }

    [Fact]
    public async Task ResultPathsReadInsideTheGovernanceEnvelope()
    {
        var governed = Json.Envelope("billing/get_invoice", Json.Parse(Invoice));

        Assert.Equal("INV-1002 Dana Whitfield 49.00 USD", await RenderAfterInvoiceAsync("{{result.invoice_id}} {{result.customer.name}} {{result.total}} {{result.currency}}", governed));
    }

    [Fact]
    public async Task ResultPathsIndexArraysFromZero()
    {
        Assert.Equal("CH-1 then CH-2", await RenderAfterInvoiceAsync("{{result.charges.0.charge_id}} then {{result.charges.1.charge_id}}", Json.Parse(Invoice)));
    }

    [Fact]
    public async Task ResultHeldAsJsonTextIsReadAsJson()
    {
        Assert.Equal("CH-2", await RenderAfterInvoiceAsync("{{result.charges.1.charge_id}}", Invoice));
        Assert.Equal("CH-2", await RenderAfterInvoiceAsync("{{result.charges.1.charge_id}}", Json.Envelope("billing/get_invoice", Invoice)));
    }

    [Fact]
    public async Task WholeResultRendersTheEnvelopeContent()
    {
        Assert.Equal("Refunded 49.00 USD.", await RenderAfterInvoiceAsync("{{result}}", Json.Envelope("agents/ask_billing", "Refunded 49.00 USD.")));
        Assert.Equal("""{"a":[1,"é"]}""", await RenderAfterInvoiceAsync("{{result}}", Json.Envelope("x/y", Json.Parse("""{ "a": [1, "é"] }"""))));
    }

    [Fact]
    public async Task MissingPathIsAMissThatSaysWhichValueAndWhere()
    {
        var detail = await RenderAfterInvoiceAsync("Charge {{result.charges.1.id}}", Json.Parse(Invoice));

        Assert.Equal(
            "The mock script 'test.yaml' has no answer for agent 'billing', user message \"refund INV-1002\", model call 2 (the rule at line 3, step at line 6): " +
            "{{result.charges.1.id}} in the reply of the step has no value: " +
            "result.charges.1 has no 'id' (it has: charge_id, amount). Fix the script, or give the value a fallback with '| default: TEXT' (docs/mock-model.md).",
            detail);
    }

    [Fact]
    public async Task IndexPastTheEndOfAListIsAMissingValue()
    {
        var reply = await RenderAfterInvoiceAsync("{{result.charges.2.charge_id}}", Json.Parse(Invoice));

        Assert.Contains("result.charges is a list of 2 item(s), so '2' is not in it", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NullValueIsAMissingValue()
    {
        Assert.Contains("result.note is null.", await RenderAfterInvoiceAsync("{{result.note}}", Json.Parse(Invoice)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultFillsAMissingValue()
    {
        Assert.Equal("no note, Dana Whitfield", await RenderAfterInvoiceAsync("""{{result.note | default: "no note"}}, {{result.customer.name | default: nobody}}""", Json.Parse(Invoice)));
    }

    [Fact]
    public async Task QuotedLiteralRendersAsIs()
    {
        Assert.Equal("{{user}} is literal", await RenderAfterInvoiceAsync("""{{"{{"}}user}} is literal""", Json.Parse(Invoice)));
    }

    [Fact]
    public async Task ResultsOfANamedToolReadItsLatestResultInThisTurn()
    {
        var client = Mock.Client("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
                    - call: policy_check_refund
                    - reply: "{{results.billing_get_invoice.charges.1.charge_id}} is {{results.policy_check_refund.band}}; latest {{result.band}}"
            """);

        var response = await client.AskAsync(Billing,
            Chat.User("go"),
            Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", Json.Envelope("billing/get_invoice", Json.Parse(Invoice))),
            Chat.Called("call_2", "policy_check_refund"), Chat.Result("call_2", Json.Envelope("policy/check_refund", Json.Parse("""{"band":"automatic"}"""))));

        Assert.Equal("CH-2 is automatic; latest automatic", response.Text);
    }

    [Fact]
    public async Task ResultsFromAnEarlierTurnAreNotUsed()
    {
        var client = Mock.Client("""
            agents:
              billing:
                - when: first
                  steps:
                    - call: billing_get_invoice
                    - reply: ok
                - when: second
                  steps:
                    - reply: "{{result.invoice_id}}"
            """);

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => client.AskAsync(Billing,
            Chat.User("first"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", Json.Parse(Invoice)), Chat.Assistant("ok"),
            Chat.User("second")));

        Assert.Contains("(the rule at line 7, step at line 9): {{result.invoice_id}} in the reply of the step has no value: no tool has returned a result in this turn yet.", miss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SinglePlaceholderArgumentKeepsTheResultsJsonType()
    {
        var client = Mock.Client("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
                    - call: policy_check_refund
                      arguments:
                        amount: "{{results.billing_get_invoice.charges.1.amount}}"
                        charge: "{{results.billing_get_invoice.charges.1}}"
                        label: "{{results.billing_get_invoice.charges.1.amount}} USD"
                    - reply: ok
            """);

        var call = (await client.AskAsync(Billing,
            Chat.User("go"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", Json.Envelope("billing/get_invoice", Json.Parse(Invoice))))).SingleCall();

        Assert.Equal(JsonValueKind.Number, ((JsonElement)call.Arguments!["amount"]!).ValueKind);
        Assert.Equal("49.00", ((JsonElement)call.Arguments["amount"]!).GetRawText());
        Assert.Equal("""{"charge_id":"CH-2","amount":49.00}""", ((JsonElement)call.Arguments["charge"]!).GetRawText());
        Assert.Equal("49.00 USD", call.Arg("label"));
    }

    [Fact]
    public async Task MissingValueInArgumentsIsAMissInsteadOfACall()
    {
        var client = Mock.Client("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
                    - call: billing_issue_refund
                      arguments:
                        charge_id: "{{results.billing_get_invoice.charges.5.charge_id}}"
                    - reply: ok
            """);

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => client.AskAsync(Billing,
            Chat.User("go"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", Json.Parse(Invoice))));

        Assert.Contains("step at line 5): {{results.billing_get_invoice.charges.5.charge_id}} in the arguments of 'billing_issue_refund' of the step has no value", miss.Message, StringComparison.Ordinal);
        Assert.Contains("results.billing_get_invoice.charges is a list of 2 item(s)", miss.Message, StringComparison.Ordinal);
        Assert.Equal(5, miss.Line);
    }
}
