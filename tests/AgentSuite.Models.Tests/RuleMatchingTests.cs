using AgentSuite.Models.Tests.Support;

namespace AgentSuite.Models.Tests;

public sealed class RuleMatchingTests
{
    private static readonly MockChatClient Client = Mock.Client("""
        agents:
          billing:
            - name: refund
              when: refund (?<invoice>INV-\d+)
              steps:
                - reply: "refund rule for {{match.invoice}}"
            - name: invoice
              when: INV-\d+
              steps:
                - reply: invoice rule
            - name: exact case
              when: ^VIP$
              ignore_case: false
              steps:
                - reply: vip rule
          support:
            - name: anything
              steps:
                - reply: "support heard: {{user}}"
          "*":
            - name: greeting
              when: ^(hi|hello)\b
              steps:
                - reply: "hello from {{agent}}"
        """);

    private static async Task<string> ReplyAsync(string agent, params Microsoft.Extensions.AI.ChatMessage[] messages) =>
        (await Client.AskAsync(Chat.For(agent), messages)).Text;

    [Fact]
    public async Task FirstMatchingRuleWins()
    {
        Assert.Equal("refund rule for INV-1002", await ReplyAsync("billing", Chat.User("please refund INV-1002")));
        Assert.Equal("invoice rule", await ReplyAsync("billing", Chat.User("what is on INV-1002?")));
    }

    [Fact]
    public async Task PatternsIgnoreCaseByDefault()
    {
        Assert.Equal("refund rule for inv-7", await ReplyAsync("billing", Chat.User("REFUND inv-7")));
    }

    [Fact]
    public async Task IgnoreCaseFalseMakesThePatternCaseSensitive()
    {
        Assert.Equal("vip rule", await ReplyAsync("billing", Chat.User("VIP")));
        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => ReplyAsync("billing", Chat.User("vip")));
        Assert.Contains("no rule matches this message", miss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuleWithoutWhenAnswersEveryMessage()
    {
        Assert.Equal("support heard: my screen is blank", await ReplyAsync("support", Chat.User("my screen is blank")));
    }

    [Fact]
    public async Task RulesForEveryAgentApplyAfterTheAgentsOwn()
    {
        Assert.Equal("hello from billing", await ReplyAsync("billing", Chat.User("hello there")));
        Assert.Equal("support heard: hello there", await ReplyAsync("support", Chat.User("hello there")));
        Assert.Equal("hello from crm-bot", await ReplyAsync("crm-bot", Chat.User("hi")));
    }

    [Fact]
    public async Task RulesOfOneAgentDoNotAnswerAnother()
    {
        var miss = await Assert.ThrowsAsync<MockScriptMissException>(() => ReplyAsync("coordinator", Chat.User("please refund INV-1002")));
        Assert.Contains("has no answer for agent 'coordinator', user message \"please refund INV-1002\", model call 1: no rule matches this message", miss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheLatestUserMessageIsMatched()
    {
        var reply = await ReplyAsync("billing",
            Chat.System("You are billing."),
            Chat.User("please refund INV-1002"),
            Chat.Assistant("refund rule for INV-1002"),
            Chat.User("and what is on INV-1003?"));

        Assert.Equal("invoice rule", reply);
    }
}
