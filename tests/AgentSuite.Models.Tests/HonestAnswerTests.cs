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
    public async Task ToolNotOfferedIsNotCalledAndTheReplySaysSo()
    {
        var response = await Client.AskAsync(Chat.For("billing", "billing_get_invoice", "policy_check_refund"), Chat.User("refund it"));

        Assert.Empty(response.Messages.Single().Contents.OfType<FunctionCallContent>());
        Assert.Equal(
            "I cannot do this: the mock script calls 'billing_issue_refund', which is not available to agent 'billing' here (offered: billing_get_invoice, policy_check_refund).",
            response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
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
        var noTools = await client.AskAsync(withdrawn, Chat.User("refund it"));

        var call = Assert.Single(forced.Messages.Single().Contents.OfType<FunctionCallContent>());
        Assert.Equal("billing_issue_refund", call.Name);
        Assert.Equal(ChatFinishReason.ToolCalls, forced.FinishReason);
        Assert.Contains("(no tools were offered)", noTools.Text, StringComparison.Ordinal);
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
    public async Task ToolsWithdrawnOnTheLastIterationGetAnHonestReply()
    {
        var options = Chat.For("billing");
        options.Tools = null;

        var response = await Client.AskAsync(options, Chat.User("refund it"));

        Assert.Equal(
            "I cannot do this: the mock script calls 'billing_get_invoice' and 'billing_issue_refund', which are not available to agent 'billing' here (no tools were offered).",
            response.Text);
    }

    [Fact]
    public async Task ToolModeNoneMeansNoToolIsOffered()
    {
        var options = Chat.For("billing", "billing_get_invoice", "billing_issue_refund");
        options.ToolMode = ChatToolMode.None;

        var response = await Client.AskAsync(options, Chat.User("refund it"));

        Assert.Contains("(no tools were offered)", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnscriptedMessageGetsAnHonestAnswerNamingTheAgent()
    {
        var response = await Client.AskAsync(Chat.For("billing"), Chat.User("what is the weather?"));

        Assert.Equal("The mock model has no script for this message (agent 'billing'). Add one to the mock script (docs/mock-model.md).", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task RequestWithoutTheAgentPropertySaysWhichPropertyIsMissing()
    {
        var response = await Client.GetResponseAsync([Chat.User("refund it")]);

        Assert.Equal(
            "The mock model has no script for this message (no agent named in ChatOptions.AdditionalProperties[\"agentsuite.agent\"]). Add one to the mock script (docs/mock-model.md).",
            response.Text);
    }

    [Fact]
    public async Task ConversationWithoutAUserMessageGetsAnHonestAnswer()
    {
        var response = await Client.AskAsync(Chat.For("billing"), Chat.System("You are billing."));

        Assert.Equal("The mock model was given no user message to answer (agent 'billing'), so it has nothing to say.", response.Text);
    }

    [Fact]
    public async Task EmptyConversationGetsAnAnswerNotAnException()
    {
        var response = await Client.GetResponseAsync([], Chat.For("billing"));

        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Contains("no user message", response.Text, StringComparison.Ordinal);
    }
}
