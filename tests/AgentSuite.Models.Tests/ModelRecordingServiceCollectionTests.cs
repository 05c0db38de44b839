using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Models.Tests;

public sealed class ModelRecordingServiceCollectionTests
{
    [Fact]
    public async Task AddModelRecordingRecordsTheRegisteredChatClient()
    {
        using var folder = new TempFolder();
        var script = folder.File("mock.yaml");
        await File.WriteAllTextAsync(script, "agents:\n  billing:\n    - steps:\n        - reply: \"your key is sk-test-123\"\n");
        var recordings = Path.Combine(folder.Path, "recordings");
        using var provider = new ServiceCollection()
            .AddMockChatClient(script)
            .AddModelRecording(recordings, ["sk-test-123"])
            .BuildServiceProvider();

        var chat = provider.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync(Recording.Ask("billing", "hello"), Recording.For("billing", "conv-1"));

        Assert.IsType<RecordingChatClient>(chat);
        Assert.Same(provider.GetRequiredService<MockChatClient>(), chat.GetService<MockChatClient>());
        Assert.Equal("your key is sk-test-123", response.Text);
        var line = Assert.Single(Recording.Lines(Path.Combine(recordings, "conv-1.jsonl")));
        Assert.Equal("your key is [secret]", line.GetProperty("response").GetProperty("text").GetString());
    }

    [Fact]
    public async Task RecordingLoadedAsTheMockScriptReplaysIt()
    {
        using var folder = new TempFolder();
        await new CannedChatClient(CannedChatClient.Text("Recorded answer.")).WithRecording(folder.Path)
            .GetResponseAsync(Recording.Ask("billing", "hello"), Recording.For("billing", "conv-1"));
        using var provider = new ServiceCollection().AddMockChatClient(folder.File("conv-1.jsonl")).BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync(Recording.Ask("billing", "hello"), Chat.For("billing"));

        Assert.True(provider.GetRequiredService<MockScript>().IsReplay);
        Assert.Equal("Recorded answer.", response.Text);
    }

    [Fact]
    public void AddModelRecordingBeforeAnyChatClientSaysToRegisterOneFirst()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddModelRecording("recordings"));

        Assert.Contains("call it after the model is registered", error.Message, StringComparison.Ordinal);
    }
}
