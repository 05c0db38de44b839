using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

/// <summary>The same user message, sent to the same agent twice and answered differently, replays in the recorded order.</summary>
public sealed class RepeatedMessageReplayTests
{
    [Fact]
    public async Task SpecialistAskedTheSameTwiceReplaysItsAnswersInOrderPerConversation()
    {
        using var folder = new TempFolder();
        var model = new CannedChatClient(CannedChatClient.Text("Nothing is due yet."), CannedChatClient.Text("INV-1003 is due now."));
        var replay = await Replays.RecordAsync(folder, model,
            (Recording.Ask("billing", "anything due?"), Chat.For("billing")),
            (Recording.Ask("billing", "anything due?"), Chat.For("billing")));

        async Task<string> AskAsync(string conversation) =>
            (await replay.GetResponseAsync(Recording.Ask("billing", "anything due?"), Recording.For("billing", conversation))).Text;

        Assert.Equal("Nothing is due yet.", await AskAsync("replay-1"));
        Assert.Equal("Nothing is due yet.", await AskAsync("replay-2"));
        Assert.Equal("INV-1003 is due now.", await AskAsync("replay-1"));
        var third = await Assert.ThrowsAsync<ReplayDivergenceException>(() => AskAsync("replay-1"));
        Assert.Contains("this is time 3 that agent 'billing' is sent this user message in this conversation; the recording has it 2 time(s).", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedMessageInOneHistoryReplaysTheLaterAnswer()
    {
        using var folder = new TempFolder();
        var model = new CannedChatClient(CannedChatClient.Text("Shall I refund INV-1002?"), CannedChatClient.Text("Done: RF-2001."));
        ChatMessage[] first = [Chat.System("You are the coordinator."), Chat.User("yes")];
        ChatMessage[] second = [.. first, Chat.Assistant("Shall I refund INV-1002?"), Chat.User("yes")];
        var replay = await Replays.RecordAsync(folder, model, (first, Chat.For("coordinator")), (second, Chat.For("coordinator")));

        var options = Recording.For("coordinator", "replay");
        Assert.Equal("Shall I refund INV-1002?", (await replay.GetResponseAsync(first, options)).Text);
        Assert.Equal("Done: RF-2001.", (await replay.GetResponseAsync(second, options)).Text);
        Assert.Contains("occurrence: 2", RecordingConverter.ToScriptYaml(folder.File("recorded.jsonl")), StringComparison.Ordinal);
    }
}
