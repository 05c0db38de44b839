using AgentSuite.Cli.Api;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class TurnEventStreamTests
{
    [Fact]
    public async Task EventsAreReadInOrderAndKeepAlivesAreSkipped()
    {
        var events = await ReadAllAsync(DemoTurn.WithApproval);

        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), events.Select(e => e.Seq));
        var pending = Assert.Single(events, e => e.Type == TurnEventTypes.ApprovalPending);
        Assert.Equal(DemoTurn.ApprovalId, pending.ApprovalId);
        Assert.Equal("billing/issue_refund", pending.Tool);
        Assert.Equal("call_1/call_2", pending.ToolCallId);
        Assert.Equal("amount > 100 needs a second person", pending.Reason);
        Assert.Equal(TurnEventTypes.TurnCompleted, events[^1].Type);
        Assert.Equal(DemoTurn.Reply, events[^1].Text);
    }

    [Fact]
    public async Task EventTypeComesFromTheEventLineWhenTheDataOmitsIt()
    {
        var events = await ReadAllAsync("event: tool.failed\nid: 4\ndata: {\"seq\":4,\"tool\":\"crm/create_case\",\"reason\":\"boom\"}\n\n"
            + "event: turn.failed\ndata:\n\n");

        Assert.Equal([TurnEventTypes.ToolFailed, TurnEventTypes.TurnFailed], events.Select(e => e.Type));
        Assert.Equal("boom", events[0].Reason);
    }

    [Fact]
    public async Task DataSplitOverSeveralLinesIsJoined()
    {
        var events = await ReadAllAsync("event: message.completed\ndata: {\"seq\":1,\ndata: \"text\":\"hi\"}\n\n");

        Assert.Equal("hi", Assert.Single(events).Text);
    }

    [Fact]
    public async Task MalformedEventDataSaysWhichEvent()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync("event: tool.decision\ndata: {not json\n\n"));

        Assert.Contains("'tool.decision'", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<List<TurnEvent>> ReadAllAsync(string text)
    {
        var events = new List<TurnEvent>();
        await foreach (var e in TurnEventStream.ReadAsync(Sse.AsStream(text)))
        {
            events.Add(e);
        }

        return events;
    }
}
