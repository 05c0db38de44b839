using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class ConversationsCommandTests
{
    private static readonly string Events = $"GET /api/conversations/{DemoTurn.ConversationId}/turns/current/events";

    [Fact]
    public async Task FollowPrintsTheWholeTrailAndExitsZeroWhenTheTurnCompletes()
    {
        var api = DemoTurn.Api("")
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("waiting"))
            .OnEventStream(Events, DemoTurn.WithApproval);

        var result = await CliRunner.RunAsync(DemoTurn.Args("conversations", "follow", DemoTurn.ConversationId), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"conversation {DemoTurn.ConversationId} turn run_canned1 (waiting, waiting for approval {DemoTurn.ApprovalId})", result.Out, StringComparison.Ordinal);
        Assert.Contains("coordinator is working", result.Out, StringComparison.Ordinal);
        Assert.Contains("approval approved billing/issue_refund: ok", result.Out, StringComparison.Ordinal);
        Assert.Contains($"coordinator> {DemoTurn.Reply}", result.Out, StringComparison.Ordinal);
        var follow = api.Requests.Single(r => r.Route == Events);
        Assert.Equal("0", follow.Headers["Last-Event-ID"]);
        Assert.Equal("text/event-stream", follow.Headers["Accept"]);
    }

    [Fact]
    public async Task FollowAfterAnEventAsksOnlyForLaterOnes()
    {
        var api = DemoTurn.Api("")
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("waiting"))
            .OnEventStream(Events, DemoTurn.After(DemoTurn.WithApproval, 6));

        var result = await CliRunner.RunAsync(DemoTurn.Args("conversations", "follow", DemoTurn.ConversationId, "--after", "6"), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("6", api.Requests.Single(r => r.Route == Events).Headers["Last-Event-ID"]);
        Assert.DoesNotContain("waiting for approval billing/issue_refund", result.Out, StringComparison.Ordinal);
        Assert.Contains($"coordinator> {DemoTurn.Reply}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurnAbandonedAfterARestartIsReportedWithItsReasonAndExitsOne()
    {
        var recorded = DemoTurn.WithApproval[..DemoTurn.WithApproval.IndexOf("event: approval.resolved", StringComparison.Ordinal)];
        var api = DemoTurn.Api("")
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("abandoned", "its agent 'billing' is no longer defined"))
            .OnEventStream(Events, recorded);

        var result = await CliRunner.RunAsync(DemoTurn.Args("conversations", "follow", DemoTurn.ConversationId), new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("waiting for approval billing/issue_refund", result.Out, StringComparison.Ordinal);
        Assert.Contains("The turn was abandoned: its agent 'billing' is no longer defined", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedTurnSeenOnlyInTheConversationShowsItsStoredReplyAndTheDetailOnStderr()
    {
        var recorded = DemoTurn.WithApproval[..DemoTurn.WithApproval.IndexOf("event: approval.resolved", StringComparison.Ordinal)];
        var failed = """{"id":"conv_canned1","createdBy":"alice","messages":[{"role":"user","text":"refund INV-1006"},{"role":"assistant","agent":"coordinator","text":"Sorry, the demo model has no answer for that."}],"turn":{"runId":"run_canned1","status":"failed","reason":"The mock script 'demo.yaml' has no answer.","lastEventId":6}}""";
        var api = DemoTurn.Api("")
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", failed)
            .OnEventStream(Events, recorded);

        var result = await CliRunner.RunAsync(DemoTurn.Args("conversations", "follow", DemoTurn.ConversationId), new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("coordinator> Sorry, the demo model has no answer for that.", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("demo.yaml", result.Out, StringComparison.Ordinal);
        Assert.Contains("details for the developer: The mock script 'demo.yaml' has no answer.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationWithoutATurnSaysHowToStartOne()
    {
        var api = new CannedApi().OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", $$"""{"id":"{{DemoTurn.ConversationId}}","messages":[]}""");

        var result = await CliRunner.RunAsync(DemoTurn.Args("conversations", "follow", DemoTurn.ConversationId), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"has no turn yet; start one with: agentsuite chat --conversation {DemoTurn.ConversationId}", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Requests, r => r.Route == Events);
    }
}
