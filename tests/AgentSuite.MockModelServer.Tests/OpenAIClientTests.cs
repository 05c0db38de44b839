using System.Text.Json;
using AgentSuite.MockModelServer.Tests.Support;
using OpenAI.Chat;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>The official OpenAI .NET client talks to the mock model server as it would to OpenAI.</summary>
[Collection(MockModelServerCollection.Name)]
public sealed class OpenAIClientTests(MockModelServerFixture fixture)
{
    [Fact]
    public async Task BillingRequestGetsTheScriptedInvoiceLookup()
    {
        var client = OpenAIClients.Chat(fixture.Server, model: "gpt-4o-mini");

        ChatCompletion completion = await client.CompleteChatAsync(Demo.BillingRequest(), Demo.WithTools());

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("gpt-4o-mini", completion.Model);
        Assert.Empty(completion.Content);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("call_1", call.Id);
        Assert.Equal("billing_get_invoice", call.FunctionName);
        Assert.Equal("""{"invoice_id":"INV-1002"}""", call.FunctionArguments.ToString());
        Assert.True(completion.Usage.InputTokenCount > 0, "no prompt tokens counted");
        Assert.True(completion.Usage.OutputTokenCount > 0, "no completion tokens counted");
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamingClientAssemblesTheSameToolCallFromDeltas()
    {
        var client = OpenAIClients.Chat(fixture.Server);

        var whole = await client.CompleteAsync(Demo.BillingRequest(), Demo.WithTools());
        var streamed = await client.StreamAsync(Demo.BillingRequest(), Demo.WithTools());

        var call = Assert.Single(streamed.Calls);
        Assert.Equal(("call_1", "billing_get_invoice", """{"invoice_id":"INV-1002"}"""), (call.Id, call.Name, call.Arguments));
        Assert.True(call.ArgumentPieces >= 2, $"the arguments came in {call.ArgumentPieces} delta(s)");
        Assert.Equal(whole.Calls.Select(c => (c.Id, c.Name, c.Arguments)), streamed.Calls.Select(c => (c.Id, c.Name, c.Arguments)));
        Assert.Equal(ChatFinishReason.ToolCalls, streamed.FinishReason);
        Assert.Equal("", streamed.Text);
        Assert.NotNull(streamed.Usage);
        Assert.Equal(whole.Usage!.TotalTokenCount, streamed.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamedTextArrivesInPiecesThatJoinToTheWholeAnswer()
    {
        var client = OpenAIClients.Chat(fixture.Server);
        // The coordinator's last step replies with the specialist's answer.
        List<ChatMessage> messages =
        [
            new SystemChatMessage(Demo.CoordinatorPrompt) { ParticipantName = "coordinator" },
            new UserChatMessage(Demo.Refund),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "ask_billing", BinaryData.FromString("""{"request":"refund it"}"""))]),
            new ToolChatMessage("call_1", Demo.RefundReply),
        ];

        var whole = await client.CompleteAsync(messages);
        var streamed = await client.StreamAsync(messages);

        Assert.Equal(Demo.RefundReply, whole.Text);
        Assert.Equal(ChatFinishReason.Stop, whole.FinishReason);
        Assert.Empty(whole.Calls);
        Assert.True(streamed.TextPieces > 1, $"the text came in {streamed.TextPieces} piece(s)");
        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
        Assert.NotNull(streamed.Usage);
        Assert.Equal(whole.Usage!.InputTokenCount, streamed.Usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task WithoutAParticipantNameTheMockKnowsNoAgent()
    {
        var client = OpenAIClients.Chat(fixture.Server);
        List<ChatMessage> messages = [new SystemChatMessage(Demo.BillingPrompt), new UserChatMessage(Demo.Refund)];

        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.CompleteAsync(messages, Demo.WithTools()));

        Assert.Equal(422, error.Status);
        Assert.Contains("the request names no agent, so no rule applies", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RefundRoundTripRunsTheScriptToItsReply(bool streaming)
    {
        var client = OpenAIClients.Chat(fixture.Server);
        var messages = Demo.BillingRequest();

        var lookup = await client.AskAsync(messages, Demo.WithTools(), streaming);
        var invoiceCall = Assert.Single(lookup.Calls);
        messages.AddRange([lookup.AsAssistantMessage(), new ToolChatMessage(invoiceCall.Id, Demo.InvoiceResult)]);

        var check = await client.AskAsync(messages, Demo.WithTools(), streaming);
        var checkCall = Assert.Single(check.Calls);
        Assert.Equal(("call_2", "policy_check_refund"), (checkCall.Id, checkCall.Name));
        using (var arguments = JsonDocument.Parse(checkCall.Arguments))
        {
            Assert.Equal("49.00", arguments.RootElement.GetProperty("amount").GetRawText());
            Assert.Equal(3, arguments.RootElement.GetProperty("days_since_charge").GetInt32());
            Assert.Equal("duplicate charge", arguments.RootElement.GetProperty("reason").GetString());
        }

        messages.AddRange([check.AsAssistantMessage(), new ToolChatMessage(checkCall.Id, Demo.PolicyResult)]);
        var refund = await client.AskAsync(messages, Demo.WithTools(), streaming);
        var refundCall = Assert.Single(refund.Calls);
        Assert.Equal(("call_3", "billing_issue_refund"), (refundCall.Id, refundCall.Name));
        using (var arguments = JsonDocument.Parse(refundCall.Arguments))
        {
            Assert.Equal("CH-2", arguments.RootElement.GetProperty("charge_id").GetString());
            Assert.Equal("refund-INV-1002-CH-2-duplicate", arguments.RootElement.GetProperty("idempotency_key").GetString());
        }

        messages.AddRange([refund.AsAssistantMessage(), new ToolChatMessage(refundCall.Id, Demo.RefundResult)]);
        var reply = await client.AskAsync(messages, Demo.WithTools(), streaming);
        Assert.Empty(reply.Calls);
        Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
        Assert.Equal(Demo.RefundReply, reply.Text);
    }
}
