using System.Text.Json;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

/// <summary>A conversation recorded through <see cref="RecordingChatClient"/> and replayed from the file as a mock script.</summary>
public sealed class ReplayTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RecordedDeskConversationReplaysTheSameCallsArgumentsAndTexts(bool streaming)
    {
        using var folder = new TempFolder();
        var recorded = new DemoDesk(new MockChatClient(MockScript.LoadDemo()).WithRecording(folder.Path), streaming, "conv-1");
        var answer = await recorded.AskCoordinatorAsync(Refund);

        var replay = new MockChatClient(MockScript.Load(folder.File("conv-1.jsonl")));
        var replayed = new DemoDesk(replay, streaming, "conv-2");
        var again = await replayed.AskCoordinatorAsync(Refund);

        Assert.True(replay.Script.IsReplay);
        Assert.Equal("Refunded 49.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-2001.", answer);
        Assert.Equal(answer, again);
        Assert.Equal(Exchanges(recorded.Responses), Exchanges(replayed.Responses));
        Assert.Equal(6, replayed.Responses.Count);
        Assert.Equal(recorded.Refunds, replayed.Refunds);
        Assert.Equal("49.00", Assert.Single(replayed.IssueRefund.Calls)["amount"].GetRawText());
    }

    [Fact]
    public async Task StreamedRecordingReplaysWithoutStreamingAndBack()
    {
        using var folder = new TempFolder();
        var recorded = new DemoDesk(new MockChatClient(MockScript.LoadDemo()).WithRecording(folder.Path), streaming: true, "conv-1");
        await recorded.AskCoordinatorAsync(Refund);

        var replayed = new DemoDesk(new MockChatClient(MockScript.Load(folder.File("conv-1.jsonl"))), streaming: false, "conv-1");
        await replayed.AskCoordinatorAsync(Refund);

        Assert.Equal(Exchanges(recorded.Responses), Exchanges(replayed.Responses));
    }

    [Fact]
    public async Task ConvertedYamlIsAStrictScriptThatLoadsAndReplaysLikeTheRecording()
    {
        using var folder = new TempFolder();
        var recorded = new DemoDesk(new MockChatClient(MockScript.LoadDemo()).WithRecording(folder.Path), conversation: "conv-1");
        await recorded.AskCoordinatorAsync(Refund);

        var yaml = RecordingConverter.ToScriptYaml(folder.File("conv-1.jsonl"));
        await File.WriteAllTextAsync(folder.File("conv-1.yaml"), yaml);
        var replayed = new DemoDesk(new MockChatClient(MockScript.Load(folder.File("conv-1.yaml"))));
        await replayed.AskCoordinatorAsync(Refund);

        Assert.Contains("replay: true", yaml, StringComparison.Ordinal);
        Assert.Contains("call: billing_issue_refund", yaml, StringComparison.Ordinal);
        Assert.Contains("previous_outcomes: {billing_get_invoice: ok}", yaml.Replace(" }", "}", StringComparison.Ordinal).Replace("{ ", "{", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(Exchanges(recorded.Responses), Exchanges(replayed.Responses));
    }

    /// <summary>Each model response as agent, calls with their arguments' JSON, and text.</summary>
    internal static List<string> Exchanges(IEnumerable<(string Agent, ChatResponse Response)> responses) =>
        [.. responses.Select(r => $"{r.Agent}: " + string.Join(" | ", r.Response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>())
            .Select(c => $"{c.Name}({JsonSerializer.Serialize(c.Arguments)})")) + $" text: {r.Response.Text}")];
}
