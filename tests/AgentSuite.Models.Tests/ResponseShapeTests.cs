using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

public sealed class ResponseShapeTests
{
    private static readonly MockChatClient Client = Mock.Client("""
        agents:
          billing:
            - when: refund (?<invoice>INV-\d+)
              steps:
                - calls:
                    - call: billing_get_invoice
                      arguments:
                        invoice_id: "{{match.invoice}}"
                    - call: policy_get_refund_policy
                - reply: >-
                    I looked at {{match.invoice}} and the refund policy, and here is a reply long enough
                    to be streamed in several pieces of a few words each.
        """);

    private static readonly ChatOptions Billing = Chat.For("billing", "billing_get_invoice", "policy_get_refund_policy");

    private static readonly ChatMessage[] CallTurn = [Chat.System("You are billing."), Chat.User("refund INV-1002")];

    private static readonly ChatMessage[] ReplyTurn =
    [
        .. CallTurn,
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "billing_get_invoice"), new FunctionCallContent("call_2", "policy_get_refund_policy")]),
        Chat.Result("call_1", Json.Envelope("billing/get_invoice", Json.Parse("""{"invoice_id":"INV-1002"}"""))),
        Chat.Result("call_2", Json.Envelope("policy/get_refund_policy", "Refunds up to 100.00 are automatic.")),
    ];

    [Fact]
    public async Task ResponseCarriesTheModelIdFinishReasonAndPlausibleUsage()
    {
        var response = await Client.GetResponseAsync(CallTurn, Billing);

        Assert.Equal("agentsuite-mock", response.ModelId);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("billing", message.AuthorName);
        Assert.StartsWith("mock-", response.ResponseId, StringComparison.Ordinal);
        Assert.Equal(response.ResponseId, message.MessageId);

        // "billing" + "system" + "You are billing." + "user" + "refund INV-1002" = 48 characters, about 12 tokens.
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.InRange(response.Usage.OutputTokenCount!.Value, 10, 40);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task SameMessagesAlwaysGetTheSameResponse()
    {
        var first = await Client.GetResponseAsync(ReplyTurn, Billing);
        var second = await new MockChatClient(Client.Script).GetResponseAsync(ReplyTurn.ToList(), Chat.For("billing", "billing_get_invoice", "policy_get_refund_policy"));

        Assert.Equal(JsonSerializer.Serialize(first, AIJsonUtilities.DefaultOptions), JsonSerializer.Serialize(second, AIJsonUtilities.DefaultOptions));
    }

    [Fact]
    public async Task DifferentConversationsGetDifferentResponseIds()
    {
        var a = await Client.GetResponseAsync(CallTurn, Billing);
        var b = await Client.GetResponseAsync([Chat.User("refund INV-1003")], Billing);

        Assert.NotEqual(a.ResponseId, b.ResponseId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StreamingGivesTheSameResponseAsNonStreaming(bool replyTurn)
    {
        var messages = replyTurn ? ReplyTurn : CallTurn;

        var whole = await Client.GetResponseAsync(messages, Billing);
        var streamed = await Client.GetStreamingResponseAsync(messages, Billing).ToChatResponseAsync();

        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.FinishReason, streamed.FinishReason);
        Assert.Equal(whole.ResponseId, streamed.ResponseId);
        Assert.Equal(whole.ModelId, streamed.ModelId);
        Assert.Equal(whole.Usage!.InputTokenCount, streamed.Usage!.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
        Assert.Equal(
            JsonSerializer.Serialize(whole.Messages, AIJsonUtilities.DefaultOptions),
            JsonSerializer.Serialize(streamed.Messages, AIJsonUtilities.DefaultOptions));
    }

    [Fact]
    public async Task StreamedTextArrivesInWordChunksThatJoinBackToTheReply()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync(ReplyTurn, Billing))
        {
            updates.Add(update);
        }

        var reply = (await Client.GetResponseAsync(ReplyTurn, Billing)).Text;
        Assert.True(updates.Count >= 4, $"{updates.Count} updates");
        Assert.Equal(reply, string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates.SkipLast(1), u => Assert.Null(u.FinishReason));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Single(updates[^1].Contents.OfType<UsageContent>());
    }

    [Fact]
    public async Task StreamedFunctionCallsArriveInOneUpdate()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync(CallTurn, Billing))
        {
            updates.Add(update);
        }

        var update1 = Assert.Single(updates);
        Assert.Equal(["call_1", "call_2"], update1.Contents.OfType<FunctionCallContent>().Select(c => c.CallId));
        Assert.Equal(ChatFinishReason.ToolCalls, update1.FinishReason);
    }

    [Fact]
    public async Task ConcurrentConversationsGetTheSameAnswersAsOneAtATime()
    {
        var expectedCall = JsonSerializer.Serialize(await Client.GetResponseAsync(CallTurn, Billing), AIJsonUtilities.DefaultOptions);
        var expectedReply = JsonSerializer.Serialize(await Client.GetResponseAsync(ReplyTurn, Billing), AIJsonUtilities.DefaultOptions);

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
            JsonSerializer.Serialize(await Client.GetResponseAsync(i % 2 == 0 ? CallTurn : ReplyTurn, Billing), AIJsonUtilities.DefaultOptions))));

        Assert.All(answers.Where((_, i) => i % 2 == 0), a => Assert.Equal(expectedCall, a));
        Assert.All(answers.Where((_, i) => i % 2 == 1), a => Assert.Equal(expectedReply, a));
    }

    [Fact]
    public void MetadataNamesTheMockModel()
    {
        var metadata = Assert.IsType<ChatClientMetadata>(Client.GetService(typeof(ChatClientMetadata)));

        Assert.Equal("agentsuite-mock", metadata.DefaultModelId);
        Assert.Same(Client, Client.GetService(typeof(IChatClient)));
        Assert.Same(Client.Script, Client.GetService(typeof(MockScript)));
    }
}
