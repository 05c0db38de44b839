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
