using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

public sealed class RecordingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 30, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task EachExchangeIsOneLineWithTheRequestAndTheResponse()
    {
        using var folder = new TempFolder();
        var model = new CannedChatClient(CannedChatClient.Text("Refunded RF-2001."));
        var client = new RecordingChatClient(model, folder.Path, null, new FixedTime(Now));
        var options = Recording.For("billing", "conv-7", "billing_issue_refund");
        (options.Temperature, options.MaxOutputTokens, options.ModelId, options.ToolMode) = (0.25f, 300, "gpt-test", ChatToolMode.Auto);

        await client.GetResponseAsync(
            [
                .. Recording.Ask("billing", "refund INV-1002"),
                Chat.Called("call_1", "billing_issue_refund", new Dictionary<string, object?> { ["amount"] = 49.00m, ["invoice_id"] = "INV-1002" }),
                Chat.Result("call_1", Json.Envelope("billing/issue_refund", new { refund_id = "RF-2001" })),
            ],
            options);

        var line = Assert.Single(Recording.Lines(folder.File("conv-7.jsonl")));
        Assert.Equal(1, line.GetProperty("format").GetInt32());
        Assert.Equal(1, line.GetProperty("seq").GetInt32());
        Assert.Equal("2026-11-21T09:30:00.000Z", line.GetProperty("time").GetString());
        Assert.Equal("billing", line.GetProperty("agent").GetString());
        Assert.Equal("conv-7", line.GetProperty("conversation").GetString());
        Assert.False(line.GetProperty("streaming").GetBoolean());

        var request = line.GetProperty("request");
        var messages = request.GetProperty("messages");
        Assert.Equal(["system", "user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("billing", messages[0].GetProperty("author").GetString());
        Assert.Equal("refund INV-1002", messages[1].GetProperty("text").GetString());
        var call = messages[2].GetProperty("calls")[0];
        Assert.Equal(("call_1", "billing_issue_refund"), (call.GetProperty("callId").GetString(), call.GetProperty("name").GetString()));
        Assert.Equal("""{"amount":49.00,"invoice_id":"INV-1002"}""", call.GetProperty("arguments").GetRawText());
        var result = messages[3].GetProperty("results")[0];
        Assert.Equal(("call_1", "billing_issue_refund", "ok"), (result.GetProperty("callId").GetString(), result.GetProperty("name").GetString(), result.GetProperty("outcome").GetString()));
        Assert.Equal("RF-2001", result.GetProperty("result").GetProperty("content").GetProperty("refund_id").GetString());
        Assert.Equal(["billing_issue_refund"], request.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("auto", request.GetProperty("toolMode").GetString());
        Assert.Equal("""{"modelId":"gpt-test","temperature":0.25,"maxOutputTokens":300}""", request.GetProperty("options").GetRawText());

        var response = line.GetProperty("response");
        Assert.Equal("Refunded RF-2001.", response.GetProperty("text").GetString());
        Assert.Equal("stop", response.GetProperty("finishReason").GetString());
        Assert.Equal("canned", response.GetProperty("modelId").GetString());
        Assert.False(response.TryGetProperty("calls", out _));
    }

    [Fact]
    public async Task ResponseCallsAndUsageAreRecorded()
    {
        using var folder = new TempFolder();
        var client = new MockChatClient(Mock.Client("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
                      arguments:
                        invoice_id: INV-1002
            """).Script).WithRecording(folder.Path);

        var answer = await client.GetResponseAsync(Recording.Ask("billing", "show INV-1002"), Recording.For("billing", "conv-1", "billing_get_invoice"));

        var response = Assert.Single(Recording.Lines(folder.File("conv-1.jsonl"))).GetProperty("response");
        var call = Assert.Single(response.GetProperty("calls").EnumerateArray());
        Assert.Equal((answer.SingleCall().CallId, "billing_get_invoice", """{"invoice_id":"INV-1002"}"""),
            (call.GetProperty("callId").GetString(), call.GetProperty("name").GetString(), call.GetProperty("arguments").GetRawText()));
        Assert.Equal("tool_calls", response.GetProperty("finishReason").GetString());
        Assert.Equal(answer.Usage!.TotalTokenCount, response.GetProperty("usage").GetProperty("totalTokens").GetInt64());
        Assert.Equal(MockChatClient.ModelId, response.GetProperty("modelId").GetString());
    }

    [Fact]
    public async Task StreamedUpdatesPassThroughUnchangedAndTheWholeResponseIsRecorded()
    {
        using var folder = new TempFolder();
        var mock = Mock.Client("agents:\n  billing:\n    - steps:\n        - reply: \"Your invoice INV-1002 was paid twice; I will look into it today.\"\n");
        var options = Recording.For("billing", "conv-1");

        var direct = await mock.GetStreamingResponseAsync(Recording.Ask("billing", "hello"), options).ToListAsync();
        var recorded = await mock.WithRecording(folder.Path).GetStreamingResponseAsync(Recording.Ask("billing", "hello"), options).ToListAsync();

        Assert.True(direct.Count > 1);
        Assert.Equal(direct.Select(u => (u.Text, u.MessageId, u.FinishReason)), recorded.Select(u => (u.Text, u.MessageId, u.FinishReason)));
        var line = Assert.Single(Recording.Lines(folder.File("conv-1.jsonl")));
        Assert.True(line.GetProperty("streaming").GetBoolean());
        Assert.Equal("Your invoice INV-1002 was paid twice; I will look into it today.", line.GetProperty("response").GetProperty("text").GetString());
        Assert.Equal("stop", line.GetProperty("response").GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task SequenceNumbersGoOnAfterTheLinesAlreadyInTheFile()
    {
        using var folder = new TempFolder();
        var mock = Mock.Client("agents:\n  billing:\n    - steps:\n        - reply: ok\n");
        await mock.WithRecording(folder.Path).GetResponseAsync(Recording.Ask("billing", "one"), Recording.For("billing", "conv-1"));
        File.Copy(folder.File("conv-1.jsonl"), folder.File("conv-2.jsonl"));

        var client = mock.WithRecording(folder.Path);
        await client.GetResponseAsync(Recording.Ask("billing", "two"), Recording.For("billing", "conv-2"));
        await client.GetResponseAsync(Recording.Ask("billing", "three"), Recording.For("billing", "conv-2"));

        Assert.Equal([1, 2, 3], Recording.Lines(folder.File("conv-2.jsonl")).Select(l => l.GetProperty("seq").GetInt32()));
    }

    [Fact]
    public async Task RequestWithoutAConversationIsRecordedToTheNoConversationFile()
    {
        using var folder = new TempFolder();
        var client = Mock.Client("agents:\n  billing:\n    - steps:\n        - reply: ok\n").WithRecording(folder.Path);

        await client.GetResponseAsync(Recording.Ask("billing", "hello"), Chat.For("billing"));

        var line = Assert.Single(Recording.Lines(folder.File(RecordingChatClient.NoConversationFile)));
        Assert.False(line.TryGetProperty("conversation", out _));
        Assert.Equal(["no-conversation.jsonl"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ConversationIdBecomesASafeFileNameInsideTheFolder()
    {
        var client = Mock.Client("agents: {}").WithRecording("/recordings");

        Assert.Equal(Path.Combine("/recordings", "_._secret_conv_1.jsonl"), client.PathFor("../secret/conv 1"));
        Assert.Equal(Path.Combine("/recordings", "c-42.jsonl"), client.PathFor("c-42"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RecordingThatCannotBeWrittenFailsTheCall(bool streaming)
    {
        using var folder = new TempFolder();
        var notAFolder = folder.File("a-file");
        await File.WriteAllTextAsync(notAFolder, "");
        var client = Mock.Client("agents:\n  billing:\n    - steps:\n        - reply: ok\n").WithRecording(notAFolder);

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            if (streaming)
            {
                await client.GetStreamingResponseAsync(Recording.Ask("billing", "hello"), Recording.For("billing", "conv-1")).ToChatResponseAsync();
            }
            else
            {
                await client.GetResponseAsync(Recording.Ask("billing", "hello"), Recording.For("billing", "conv-1"));
            }
        });

        Assert.Contains(Path.Combine(notAFolder, "conv-1.jsonl"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Model:RecordTo", error.Message, StringComparison.Ordinal);
    }
}
