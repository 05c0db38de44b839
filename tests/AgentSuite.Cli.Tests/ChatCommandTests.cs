using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class ChatCommandTests
{
    [Fact]
    public async Task OneMessageCreatesAConversationStreamsTheTurnAndPrintsTheReply()
    {
        var api = DemoTurn.Api(DemoTurn.WithApproval);

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "--message", "refund INV-1006"), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"conversation {DemoTurn.ConversationId} (new)", result.Out, StringComparison.Ordinal);
        Assert.Contains("waiting for approval billing/issue_refund: amount > 100 needs a second person", result.Out, StringComparison.Ordinal);
        Assert.Contains($"agentsuite approvals approve {DemoTurn.ApprovalId}", result.Out, StringComparison.Ordinal);
        Assert.Contains("approval approved billing/issue_refund: ok", result.Out, StringComparison.Ordinal);
        Assert.Contains("completed billing/issue_refund", result.Out, StringComparison.Ordinal);
        Assert.Contains($"coordinator> {DemoTurn.Reply}", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);

        var send = api.Requests.Single(r => r.Route.EndsWith("/messages", StringComparison.Ordinal));
        Assert.Equal("text/event-stream", send.Headers["Accept"]);
        Assert.Equal("refund INV-1006", JsonDocument.Parse(send.Body!).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task SpecialistWorkIsIndentedUnderItsHandOff()
    {
        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "refund"), new CliOptions { Transport = DemoTurn.Api(DemoTurn.WithApproval) });

        var lines = result.Out.Split('\n');
        Assert.Contains("coordinator is working", lines);
        Assert.Contains("  allowed agents/ask_billing", lines);
        Assert.Contains("  billing is working", lines);
        Assert.Contains("    completed billing/issue_refund", lines);
        Assert.Contains("  billing answered: Refund RF-9 issued.", lines);
        // The coordinator's own message is the reply, printed once.
        Assert.Single(lines, l => l.Contains(DemoTurn.Reply, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedTurnWithAReplyPrintsTheReplyOnStdoutAndTheDetailOnStderrAndExitsNonZero()
    {
        var failedWithReply = Sse.Stream(
            Sse.Event(1, "agent.started", """{"seq":1,"type":"agent.started","agent":"coordinator"}"""),
            Sse.Event(2, "tool.failed", """{"seq":2,"type":"tool.failed","agent":"coordinator","tool":"agents/ask_billing","toolCallId":"call_1","reason":"The mock script 'demo.yaml' has no answer for agent 'billing'."}"""),
            Sse.Event(3, "turn.failed", """{"seq":3,"type":"turn.failed","agent":"coordinator","reason":"The mock script 'demo.yaml' has no answer for agent 'billing'.","text":"Sorry, the demo model has no answer for that."}"""));

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "hello"), new CliOptions { Transport = DemoTurn.Api(failedWithReply) });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("coordinator> Sorry, the demo model has no answer for that.", result.Out, StringComparison.Ordinal);
        Assert.Contains("failed agents/ask_billing", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("demo.yaml", result.Out, StringComparison.Ordinal);
        Assert.Contains("The turn failed.", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, result.Error.Split("details for the developer: The mock script 'demo.yaml' has no answer for agent 'billing'.").Length - 1);
    }

    [Fact]
    public async Task AFailedTurnWithAReplyKeepsBothInOneJsonLine()
    {
        var failedWithReply = Sse.Stream(
            Sse.Event(1, "turn.failed", """{"seq":1,"type":"turn.failed","agent":"coordinator","reason":"The mock script 'demo.yaml' has no answer.","text":"Sorry, the demo model has no answer for that."}"""));

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "hello", "--json"), new CliOptions { Transport = DemoTurn.Api(failedWithReply) });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"text\":\"Sorry, the demo model has no answer for that.\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"The mock script 'demo.yaml' has no answer.\"", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("details for the developer", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedTurnPrintsTheReasonAndExitsNonZero()
    {
        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "hello"), new CliOptions { Transport = DemoTurn.Api(DemoTurn.Failed) });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The turn failed: The model did not answer.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamThatEndsBeforeTheTurnDoesIsReattachedFromTheLastEventSeen()
    {
        var cut = DemoTurn.WithApproval[..DemoTurn.WithApproval.IndexOf("event: approval.resolved", StringComparison.Ordinal)];
        var api = DemoTurn.Api(cut)
            .OnEventStream($"GET /api/conversations/{DemoTurn.ConversationId}/turns/current/events", DemoTurn.After(DemoTurn.WithApproval, 6));

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "refund"), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("The stream ended before the turn did; re-attaching to it.", result.Error, StringComparison.Ordinal);
        Assert.Contains("approval approved billing/issue_refund: ok", result.Out, StringComparison.Ordinal);
        Assert.Contains($"coordinator> {DemoTurn.Reply}", result.Out, StringComparison.Ordinal);
        var reattach = api.Requests.Single(r => r.Route.EndsWith("/turns/current/events", StringComparison.Ordinal));
        Assert.Equal("6", reattach.Headers["Last-Event-ID"]);
        Assert.Equal("text/event-stream", reattach.Headers["Accept"]);
    }

    [Fact]
    public async Task ContinuedConversationWithATurnUnderWayShowsAndFollowsItBeforeSending()
    {
        var api = DemoTurn.Api(DemoTurn.Failed)
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("waiting"))
            .OnEventStream($"GET /api/conversations/{DemoTurn.ConversationId}/turns/current/events", DemoTurn.WithApproval);

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-c", DemoTurn.ConversationId, "-m", "thanks"), new CliOptions { Transport = api });

        // The turn under way ends with its reply, then the new message is sent (its canned turn fails).
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"A turn is under way in this conversation (waiting for approval {DemoTurn.ApprovalId})", result.Out, StringComparison.Ordinal);
        var reply = result.Out.IndexOf($"coordinator> {DemoTurn.Reply}", StringComparison.Ordinal);
        Assert.True(reply > 0 && reply < result.Out.IndexOf("The turn failed", StringComparison.Ordinal), result.Out);
        Assert.Equal("0", api.Requests.Single(r => r.Route.EndsWith("/turns/current/events", StringComparison.Ordinal)).Headers["Last-Event-ID"]);
        Assert.Equal(
            [$"GET /api/conversations/{DemoTurn.ConversationId}", $"GET /api/conversations/{DemoTurn.ConversationId}/turns/current/events", $"POST /api/conversations/{DemoTurn.ConversationId}/messages"],
            api.Requests.Select(r => r.Route));
    }

    [Fact]
    public async Task StreamThatEndsAndCannotBeReattachedIsAnError()
    {
        var cut = DemoTurn.WithApproval[..DemoTurn.WithApproval.IndexOf("event: approval.resolved", StringComparison.Ordinal)];

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "refund"), new CliOptions { Transport = DemoTurn.Api(cut) });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"ended the stream before the turn ended; see what happened with: agentsuite audit show {DemoTurn.ConversationId}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonTurnAnswerIsShownLikeAStreamedOne()
    {
        var api = new CannedApi()
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("completed"))
            .OnJson($"POST /api/conversations/{DemoTurn.ConversationId}/messages",
            $$"""{"conversationId":"{{DemoTurn.ConversationId}}","runId":"run_1","reply":"Hi.","events":[{"seq":1,"type":"agent.started","agent":"coordinator"},{"seq":2,"type":"turn.completed","agent":"coordinator","text":"Hi."}]}""");

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "--conversation", DemoTurn.ConversationId, "-m", "hello"), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("coordinator> Hi.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenConversationIsContinuedNotCreated()
    {
        var api = DemoTurn.Api(DemoTurn.WithApproval);

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-c", DemoTurn.ConversationId, "-m", "again"), new CliOptions { Transport = api });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"conversation {DemoTurn.ConversationId}\n", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Requests, r => r.Route == "POST /api/conversations");
    }

    [Fact]
    public async Task EmptyMessageIsRefusedBeforeAnythingIsSent()
    {
        var api = DemoTurn.Api(DemoTurn.WithApproval);

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "  "), new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--message is empty", result.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task InteractiveChatSendsEachLineUntilAnEmptyOne()
    {
        var api = DemoTurn.Api(DemoTurn.WithApproval);
        var input = new StringReader("first\n  second  \n\nnever sent\n");

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat"), new CliOptions { Transport = api, Input = input });

        Assert.True(result.ExitCode == 0, result.ToString());
        var sent = api.Requests.Where(r => r.Route.EndsWith("/messages", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("text").GetString());
        Assert.Equal(["first", "second"], sent);
        Assert.Contains($"agentsuite chat --conversation {DemoTurn.ConversationId}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InteractiveChatKeepsGoingAfterARefusedMessage()
    {
        var api = DemoTurn.Api(DemoTurn.WithApproval)
            .OnProblem($"POST /api/conversations/{DemoTurn.ConversationId}/messages", HttpStatusCode.Conflict, "Conflict", "The conversation is mid-turn; wait for it to end.");

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat"), new CliOptions { Transport = api, Input = new StringReader("one\ntwo\n/exit\n") });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Error.Split("The conversation is mid-turn").Length - 1);
    }

    [Fact]
    public async Task CtrlCDuringAPromptEndsTheSession()
    {
        using var stop = new CancellationTokenSource();
        var input = new BlockingReader();
        var run = CliRunner.RunAsync(DemoTurn.Args("chat"), new CliOptions { Transport = DemoTurn.Api(DemoTurn.WithApproval), Input = input, CancellationToken = stop.Token });
        await input.Reading.WaitAsync(TimeSpan.FromSeconds(10));

        stop.Cancel();
        var result = await run;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Continue this conversation later with", result.Out, StringComparison.Ordinal);
        input.Release();
    }

    [Fact]
    public async Task CtrlCWhileWaitingForApprovalStopsWatchingAndSaysWhereToLook()
    {
        var pending = DemoTurn.WithApproval[..DemoTurn.WithApproval.IndexOf("event: approval.resolved", StringComparison.Ordinal)];
        var open = new Pipe();
        await open.Writer.WriteAsync(Encoding.UTF8.GetBytes(pending));
        var api = DemoTurn.Api("").On($"POST /api/conversations/{DemoTurn.ConversationId}/messages", _ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(open.Reader.AsStream()) { Headers = { ContentType = new("text/event-stream") } },
        });
        using var stop = new CancellationTokenSource();
        var output = new LiveWriter();

        var run = CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "refund"), new CliOptions { Transport = api, Output = output, CancellationToken = stop.Token });
        await output.WaitForAsync(new Regex("agentsuite approvals approve apr_canned1"), TimeSpan.FromSeconds(10));
        stop.Cancel();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        Assert.Contains($"Stopped watching this turn; it goes on in the Api. Follow it again with: agentsuite conversations follow {DemoTurn.ConversationId}", result.Error, StringComparison.Ordinal);
        await open.Writer.CompleteAsync();
    }
}
