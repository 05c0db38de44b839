using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

public sealed class StepAdvancementTests
{
    private static readonly MockChatClient Client = Mock.Client("""
        agents:
          billing:
            - when: look up (?<invoice>INV-\d+)
              steps:
                - call: billing_get_invoice
                  arguments:
                    invoice_id: "{{match.invoice}}"
                - calls:
                    - call: billing_list_charges
                      arguments:
                        customer_id: CUST-7
                    - call: policy_get_refund_policy
                - reply: done
            - when: typed
              steps:
                - call: billing_issue_refund
                  arguments:
                    amount: 49.00
                    days: 3
                    urgent: true
                    note: null
                    quoted: "12"
                    reason: duplicate charge
                    meta:
                      tags: [a, "{{user}}"]
                - reply: done
        """);

    private static readonly ChatOptions Billing = Chat.For("billing", "billing_get_invoice", "billing_list_charges", "policy_get_refund_policy", "billing_issue_refund");

    [Fact]
    public async Task FirstModelCallTakesTheFirstStep()
    {
        var response = await Client.AskAsync(Billing, Chat.System("You are billing."), Chat.User("look up INV-1002"));

        var call = response.SingleCall();
        Assert.Equal("billing_get_invoice", call.Name);
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("INV-1002", call.Arg("invoice_id"));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task EachAssistantMessageSinceTheUserMessageAdvancesOneStep()
    {
        var history = new List<ChatMessage> { Chat.User("look up INV-1002"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", "{}") };

        var second = await Client.GetResponseAsync(history, Billing);
        history.AddRange(second.Messages);
        history.Add(Chat.Result("call_2", "{}"));
        history.Add(Chat.Result("call_3", "{}"));
        var third = await Client.GetResponseAsync(history, Billing);

        Assert.Equal(["billing_list_charges", "policy_get_refund_policy"], second.Messages.Single().Contents.OfType<FunctionCallContent>().Select(c => c.Name));
        Assert.Equal("done", third.Text);
        Assert.Equal(ChatFinishReason.Stop, third.FinishReason);
    }

    [Fact]
    public async Task ParallelCallsInOneStepGetDistinctIdsContinuingTheConversationsNumbering()
    {
        var response = await Client.AskAsync(Billing, Chat.User("look up INV-1002"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", "{}"));

        var calls = response.Messages.Single().Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_2", "call_3"], calls.Select(c => c.CallId));
        Assert.Equal("CUST-7", calls[0].Arg("customer_id"));
        Assert.Empty(calls[1].Arguments!);
    }

    [Fact]
    public async Task NewUserMessageStartsAgainAtTheFirstStep()
    {
        var response = await Client.AskAsync(Billing,
            Chat.User("look up INV-1002"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", "{}"), Chat.Assistant("done"),
            Chat.User("look up INV-1003"));

        var call = response.SingleCall();
        Assert.Equal("billing_get_invoice", call.Name);
        Assert.Equal("call_2", call.CallId);
        Assert.Equal("INV-1003", call.Arg("invoice_id"));
    }

    [Fact]
    public async Task ArgumentsKeepTheirYamlTypes()
    {
        var call = (await Client.AskAsync(Billing, Chat.User("typed"))).SingleCall();

        var args = call.Arguments!.ToDictionary(a => a.Key, a => Assert.IsType<JsonElement>(a.Value));
        Assert.Equal(["amount", "days", "urgent", "note", "quoted", "reason", "meta"], args.Keys);
        Assert.Equal("49.00", args["amount"].GetRawText());
        Assert.Equal(3, args["days"].GetInt32());
        Assert.True(args["urgent"].GetBoolean());
        Assert.Equal(JsonValueKind.Null, args["note"].ValueKind);
        Assert.Equal("12", args["quoted"].GetString());
        Assert.Equal("duplicate charge", args["reason"].GetString());
        Assert.Equal("""{"tags":["a","typed"]}""", args["meta"].GetRawText());
    }

    [Fact]
    public async Task RuleThatRunsOutOfStepsIsAMissThatSaysSo()
    {
        var client = Mock.Client("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
            """);

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => client.AskAsync(Billing, Chat.User("anything"), Chat.Called("call_1", "billing_get_invoice"), Chat.Result("call_1", "{}")));

        Assert.Equal(
            "The mock script 'test.yaml' has no answer for agent 'billing', user message \"anything\", model call 2 (the rule at line 3): " +
            "the rule has no step 2: it has 1. End the rule with a 'reply' step (docs/mock-model.md).",
            miss.Message);
    }
}
