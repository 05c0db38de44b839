using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;
using static AgentSuite.Models.Tests.Support.OpenAIAnswers;

namespace AgentSuite.Models.Tests;

/// <summary>What the OpenAI provider makes of a model's answers (calls, parallel calls, streamed deltas, usage), its
/// metadata, and a recording made over it, against a real loopback server.</summary>
public sealed class OpenAIResponseTests : IDisposable
{
    private readonly LoopbackModelServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ParallelToolCallsKeepTheirOrderArgumentTypesAndParseErrors()
    {
        _server.Reply(ParallelToolCalls);
        var response = await Provider(_server.Endpoint).GetResponseAsync(Conversation(), Options());

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal([("call_A", "billing_get_invoice"), ("call_B", "policy_check_refund"), ("call_C", "billing_get_invoice")], calls.Select(c => (c.CallId, c.Name)));
        Assert.Equal("INV-1002", Assert.IsType<JsonElement>(calls[0].Arguments!["invoice_id"]).GetString());
        var check = calls[1].Arguments!;
        Assert.Equal("49.00", Assert.IsType<JsonElement>(check["amount"]).GetRawText());
        Assert.Equal(3, Assert.IsType<JsonElement>(check["days_since_charge"]).GetInt32());
        Assert.True(Assert.IsType<JsonElement>(check["flags"]).GetProperty("first_refund").GetBoolean());

        // Arguments that are not JSON keep their parse error, which governance denies.
        Assert.Null(calls[0].Exception);
        Assert.NotNull(calls[2].Exception);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal((500L, 40L, 540L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal(("chatcmpl-Tools1", "fixture-model-2024"), (response.ResponseId, response.ModelId));
    }

    [Fact]
    public async Task StreamedToolCallDeltasAssembleIntoWholeCalls()
    {
        _server.Stream(StreamedToolCalls);
        var response = (await Provider(_server.Endpoint).GetStreamingResponseAsync(Conversation(), Options()).ToListAsync()).ToChatResponse();

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal([("call_SA", "billing_get_invoice"), ("call_SB", "policy_check_refund")], calls.Select(c => (c.CallId, c.Name)));
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal("INV-1002", ((JsonElement)calls[0].Arguments!["invoice_id"]!).GetString());
        Assert.Equal("duplicate charge", ((JsonElement)calls[1].Arguments!["reason"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(588, response.Usage!.TotalTokenCount);

        var body = Assert.Single(_server.Requests).Json;
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task StreamedTextArrivesInPiecesThatJoinToTheAnswer()
    {
        _server.Stream(StreamedText("I refunded ", "the duplicate charge ", "on INV-1002."));
        var updates = await Provider(_server.Endpoint).GetStreamingResponseAsync(Conversation(), Options()).ToListAsync();

        Assert.Equal(["I refunded ", "the duplicate charge ", "on INV-1002."], updates.Select(u => u.Text).Where(t => t.Length > 0));
        var response = updates.ToChatResponse();
        Assert.Equal("I refunded the duplicate charge on INV-1002.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public void TheMetadataNamesTheProviderEndpointAndModel()
    {
        using var client = Provider(_server.Endpoint);

        var metadata = client.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(("openai", "fixture-model"), (metadata.ProviderName, metadata.DefaultModelId));
        Assert.Equal(_server.Endpoint.ToString().TrimEnd('/'), metadata.ProviderUri!.ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task AStreamedExchangeRecordedOverTheProviderReplaysWithoutTheKey()
    {
        using var folder = new TempFolder();
        _server.Stream(StreamedText("Your key ", Key, " was refused, so I stopped."));
        var recorder = Provider(_server.Endpoint).WithRecording(folder.Path, [Key]);
        var streamed = (await recorder.GetStreamingResponseAsync(Conversation(), Options()).ToListAsync()).ToChatResponse();
        Assert.Equal($"Your key {Key} was refused, so I stopped.", streamed.Text);

        var recording = await File.ReadAllTextAsync(folder.File("conv_wire.jsonl"));
        Assert.DoesNotContain(Key, recording, StringComparison.Ordinal);

        var replay = new MockChatClient(MockScript.Load(folder.File("conv_wire.jsonl")));
        var replayed = await replay.GetResponseAsync(Conversation(), Options());
        Assert.Equal("Your key [secret] was refused, so I stopped.", replayed.Text);
    }
}
