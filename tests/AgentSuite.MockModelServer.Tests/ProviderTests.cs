using AgentSuite.MockModelServer.Tests.Support;
using AgentSuite.Models;
using Microsoft.Extensions.AI;
using static AgentSuite.MockModelServer.Tests.Support.ProviderRequests;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>
/// The app's OpenAI provider (Microsoft.Extensions.AI.OpenAI under <see cref="OpenAIChatClient"/>) against the mock
/// model server as its own process: streamed tool-call deltas, parallel calls, a whole tool round trip, and the key.
/// </summary>
[Collection(MockModelServerCollection.Name)]
public sealed class ProviderTests(MockModelServerFixture fixture)
{
    private const string ParallelScript = """
        agents:
          billing:
            - name: look up two invoices at once
              steps:
                - calls:
                    - call: billing_get_invoice
                      arguments:
                        invoice_id: INV-1001
                    - call: policy_check_refund
                      arguments:
                        amount: 49.00
                        days_since_charge: 3
                        reason: duplicate charge
                    - call: billing_get_invoice
                      arguments:
                        invoice_id: INV-1002
                  with_text: Checking both invoices.
                - reply: Both invoices are paid.
        """;

    [Fact]
    public async Task StreamedToolCallDeltasAssembleIntoTheCallTheWholeAnswerHolds()
    {
        using var client = Provider(fixture.Server);

        var whole = await client.AskAsync(Billing(), Tools(), streaming: false);
        var updates = await client.GetStreamingResponseAsync(Billing(), Tools()).ToListAsync();
        var streamed = updates.ToChatResponse();

        var call = Assert.Single(streamed.Calls());
        Assert.Equal(("call_1", "billing_get_invoice", "\"INV-1002\""), (call.CallId, call.Name, call.Argument("invoice_id")));
        Assert.Null(call.Exception);
        Assert.Equal(whole.Calls().Select(c => (c.CallId, c.Name, c.Argument("invoice_id"))), streamed.Calls().Select(c => (c.CallId, c.Name, c.Argument("invoice_id"))));
        Assert.Equal(ChatFinishReason.ToolCalls, streamed.FinishReason);
        Assert.Equal(whole.Usage!.TotalTokenCount, streamed.Usage!.TotalTokenCount);
        Assert.Equal(MockChatClient.ModelId, streamed.ModelId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ParallelToolCallsArriveInOrderWithTheirTextAndArguments(bool streaming)
    {
        using var folder = new ScriptFile(ParallelScript);
        await using var server = await MockModelServerProcess.StartAsync([$"--MockModel:Script={folder.Path}"]);
        using var client = Provider(server);

        var response = await client.AskAsync(Billing("Are INV-1001 and INV-1002 paid?"), Tools(), streaming);

        var calls = response.Calls();
        Assert.Equal(["billing_get_invoice", "policy_check_refund", "billing_get_invoice"], calls.Select(c => c.Name));
        Assert.Equal(3, calls.Select(c => c.CallId).Distinct().Count());
        Assert.Equal(["\"INV-1001\"", "\"INV-1002\""], new[] { calls[0], calls[2] }.Select(c => c.Argument("invoice_id")));
        Assert.Equal(("49.00", "3"), (calls[1].Argument("amount"), calls[1].Argument("days_since_charge")));
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal("Checking both invoices.", response.Text);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RefundRoundTripRunsTheScriptToItsReply(bool streaming)
    {
        using var client = Provider(fixture.Server);
        var messages = Billing();
        string[] results = [Demo.InvoiceResult, Demo.PolicyResult, Demo.RefundResult];
        var called = new List<string>();
        foreach (var result in results)
        {
            var response = await client.AskAsync(messages, Tools(), streaming);
            var call = Assert.Single(response.Calls());
            called.Add(call.Name);
            messages.AddRange(response.Messages);
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
        }

        var reply = await client.AskAsync(messages, Tools(), streaming);
        Assert.Equal(["billing_get_invoice", "policy_check_refund", "billing_issue_refund"], called);
        Assert.Empty(reply.Calls());
        Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
        Assert.Equal(Demo.RefundReply, reply.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AScriptMissOverTheWireIsTheSameMissTheInProcessMockThrows(bool streaming)
    {
        using var client = Provider(fixture.Server);
        var request = Billing("Why is INV-1003 so expensive?");
        var options = Tools();
        options.AdditionalProperties![MockChatClient.AgentPropertyKey] = "billing";

        var overTheWire = await Assert.ThrowsAsync<MockScriptMissException>(() => client.AskAsync(request, Tools(), streaming));
        var inProcess = await Assert.ThrowsAsync<MockScriptMissException>(() => new MockChatClient(MockScript.LoadDemo()).GetResponseAsync(request, options));

        Assert.Equal(inProcess.Message, overTheWire.Message);
        Assert.Equal((inProcess.ScriptName, inProcess.Agent, inProcess.UserMessage, inProcess.ModelCall, inProcess.Line, inProcess.Problem),
            (overTheWire.ScriptName, overTheWire.Agent, overTheWire.UserMessage, overTheWire.ModelCall, overTheWire.Line, overTheWire.Problem));
    }

    [Fact]
    public async Task TheProviderSendsTheKeyAndAWrongKeyIsAClearErrorWithoutIt()
    {
        const string wrong = "sk-wrong-key-1b2c3d4e5f";
        await using var server = await MockModelServerProcess.StartAsync(environment: new Dictionary<string, string?> { ["MockModel__ApiKey"] = KeyedServerFixture.Key });

        var answer = await Provider(server, KeyedServerFixture.Key).GetResponseAsync(Billing(), Tools());
        Assert.Equal("billing_get_invoice", Assert.Single(answer.Calls()).Name);

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Provider(server, wrong).GetResponseAsync(Billing(), Tools()));
        Assert.Equal(401, error.Status);
        Assert.Contains($"'{MockChatClient.ModelId}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
    }
}
