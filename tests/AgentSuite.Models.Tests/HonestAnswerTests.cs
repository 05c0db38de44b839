using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

public sealed class HonestAnswerTests
{
    private static readonly MockChatClient Client = Mock.Client("""
        agents:
          billing:
            - when: refund
              steps:
                - calls:
                    - call: billing_get_invoice
                    - call: billing_issue_refund
                - reply: done
        """);

    [Fact]
    public async Task ToolNotOfferedIsNotCalledAndTheMissSaysWhichAndWhatToChange()
    {
        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => Client.AskAsync(Chat.For("billing", "billing_get_invoice", "policy_check_refund"), Chat.User("refund it")));

        Assert.Equal(
            "The mock script 'test.yaml' has no answer for agent 'billing', user message \"refund it\", model call 1 (the rule at line 3, step at line 5): " +
            "the step calls 'billing_issue_refund', which is not offered to agent 'billing' here (offered: billing_get_invoice, policy_check_refund). " +
            "Offer the tool to the agent (its prompt's servers, its allow-list), or add 'even_if_not_offered: true' to the step so that governance denies the call (docs/mock-model.md).",
            miss.Message);
        Assert.Equal(("test.yaml", "billing", "refund it", 1, 5), (miss.ScriptName, miss.Agent, miss.UserMessage, miss.ModelCall, miss.Line));
    }

    [Fact]
    public async Task EvenIfNotOfferedCallsAToolTheModelWasNotGivenButOnlyWhenSomeToolsAreOffered()
    {
        var client = Mock.Client("""
            agents:
              billing:
                - when: refund
                  steps:
                    - call: billing_issue_refund
                      arguments: { amount: 49.00 }
                      even_if_not_offered: true
                    - reply: done
            """);

        var forced = await client.AskAsync(Chat.For("billing", "billing_get_invoice"), Chat.User("refund it"));
        var withdrawn = Chat.For("billing");
        withdrawn.Tools = null;
        var noTools = await Assert.ThrowsAsync<MockScriptMissException>(() => client.AskAsync(withdrawn, Chat.User("refund it")));

        var call = Assert.Single(forced.Messages.Single().Contents.OfType<FunctionCallContent>());
        Assert.Equal("billing_issue_refund", call.Name);
        Assert.Equal(ChatFinishReason.ToolCalls, forced.FinishReason);
        Assert.Contains("(no tools were offered)", noTools.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvenIfNotOfferedOnAReplyStepIsAScriptError()
    {
        var error = Assert.Throws<MockScriptException>(() => MockScript.Parse("""
            agents:
              billing:
                - steps:
                    - reply: hi
                      even_if_not_offered: true
            """, "bad.yaml"));

        Assert.Contains("'even_if_not_offered' are about calls; this step replies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolsWithdrawnOnTheLastIterationAreAMissNamingEveryTool()
    {
        var options = Chat.For("billing");
        options.Tools = null;

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => Client.AskAsync(options, Chat.User("refund it")));

        Assert.Contains("the step calls 'billing_get_invoice' and 'billing_issue_refund', which are not offered to agent 'billing' here (no tools were offered).", miss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolModeNoneMeansNoToolIsOffered()
    {
        var options = Chat.For("billing", "billing_get_invoice", "billing_issue_refund");
        options.ToolMode = ChatToolMode.None;

        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => Client.AskAsync(options, Chat.User("refund it")));

        Assert.Contains("(no tools were offered)", miss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnscriptedMessageIsAMissNamingTheAgentAndWhereToAddTheRule()
    {
        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => Client.AskAsync(Chat.For("billing"), Chat.User("what is the weather?")));

        Assert.Equal(
            "The mock script 'test.yaml' has no answer for agent 'billing', user message \"what is the weather?\", model call 1: no rule matches this message. " +
            "Add a rule for it under 'agents: billing:' (or '\"*\":' for every agent) in the mock script: a 'when' pattern that matches it and the steps to take (docs/mock-model.md).",
            miss.Message);
        Assert.Equal(0, miss.Line);
    }

    [Fact]
    public async Task AStreamedRequestMissesBeforeAnyUpdate()
    {
        var updates = new List<ChatResponseUpdate>();

        await Assert.ThrowsAsync<MockScriptMissException>(async () =>
        {
            await foreach (var update in Client.GetStreamingResponseAsync([Chat.User("what is the weather?")], Chat.For("billing")))
            {
                updates.Add(update);
            }
        });

        Assert.Empty(updates);
    }

    [Fact]
    public async Task RequestWithoutTheAgentPropertySaysWhichPropertyIsMissing()
    {
        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => Client.GetResponseAsync([Chat.User("refund it")]));

        Assert.Contains("has no answer for no agent named in ChatOptions.AdditionalProperties[\"agentsuite.agent\"]", miss.Message, StringComparison.Ordinal);
        Assert.Contains("the request names no agent, so no rule applies", miss.Message, StringComparison.Ordinal);
        Assert.Null(miss.Agent);
    }

    [Fact]
    public async Task ConversationWithoutAUserMessageIsAMiss()
    {
        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => Client.AskAsync(Chat.For("billing"), Chat.System("You are billing.")));

        Assert.Equal(
            "The mock script 'test.yaml' has no answer for agent 'billing', user message (none), model call 1: the request has no user message, and every rule answers one (docs/mock-model.md).",
            miss.Message);
    }

    [Fact]
    public void TheCustomerIsToldPlainlyWithNothingOfTheScript()
    {
        Assert.Equal("Sorry, the demo model has no answer for that.", MockScriptMissException.CustomerReply);
        Assert.DoesNotContain("{{", MockScriptMissException.CustomerReply, StringComparison.Ordinal);
        Assert.DoesNotContain("yaml", MockScriptMissException.CustomerReply, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AMissWrappedByTheToolLoopIsFound()
    {
        var miss = new MockScriptMissException("demo.yaml", "billing", "hello", 1, 0, "no rule matches this message.", "The mock script 'demo.yaml' has no answer.");

        Assert.Same(miss, MockScriptMissException.Find(new AggregateException(new InvalidOperationException("other"), new InvalidOperationException("wrapped", miss))));
        Assert.Null(MockScriptMissException.Find(new InvalidOperationException("other")));
    }

    [Fact]
    public async Task AMissIsTheNeutralNoAnswerTheAgentRuntimeRecognises()
    {
        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => Client.AskAsync(Chat.For("billing"), Chat.User("what is the weather?")));

        var none = AgentSuite.Governance.ModelNoAnswerException.Find(new InvalidOperationException("wrapped", miss));
        Assert.Same(miss, none);
        Assert.Equal((MockScriptMissException.CustomerReply, miss.Message), (none!.Reply, none.Message));
    }
}
