using System.Net;
using System.Text.Json;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary>
/// <c>--json</c> on each command that prints data: the Api's JSON as it came (fields the CLI does not know included) on
/// stdout, nothing else there, and errors on stderr with the usual exit codes.
/// </summary>
public sealed class JsonOutputTests
{
    // A field no view shows: --json passes the Api's answer through, not the CLI's reading of it.
    private const string Extra = "\"futureField\":{\"kept\":true}";

    public static TheoryData<string, string, string[]> Documents => new()
    {
        { "GET /api/status", $$"""{"servers":[{"name":"billing","live":true}],{{Extra}}}""", ["status"] },
        { "GET /api/approvals?status=pending", $$"""[{"id":"apr_1","status":"pending",{{Extra}}}]""", ["approvals", "list"] },
        { "GET /api/approvals?status=all", $$"""[{"id":"apr_1","status":"denied",{{Extra}}}]""", ["approvals", "list", "--status", "all"] },
        { "POST /api/approvals/apr_1/decision", $$"""{"id":"apr_1","status":"approved",{{Extra}}}""", ["approvals", "approve", "apr_1"] },
        { "POST /api/approvals/apr_1/decision", $$"""{"id":"apr_1","status":"denied",{{Extra}}}""", ["approvals", "deny", "apr_1", "--comment", "no"] },
        { "GET /api/conversations?", $$"""{"items":[{"id":"conv_1","createdBy":"alice",{{Extra}}}],"nextAfterId":"conv_1"}""", ["conversations", "list"] },
        { "GET /api/governance/kill-switch", $$"""{"engaged":[{"scope":"global","source":"runtime",{{Extra}}}]}""", ["kill-switch"] },
        { "GET /api/governance/kill-switch", $$"""{"engaged":[],{{Extra}}}""", ["kill-switch", "list"] },
        { "PUT /api/governance/kill-switch", $$"""{"engaged":[{"scope":"agent:billing",{{Extra}}}]}""", ["kill-switch", "engage", "agent:billing"] },
        { "PUT /api/governance/kill-switch", $$"""{"engaged":[],{{Extra}}}""", ["kill-switch", "release", "agent:billing"] },
        { "GET /api/governance/tools/billing/issue_refund/definition", $$"""{"tool":"billing/issue_refund","blocked":true,"observedHash":"ab",{{Extra}}}""", ["tools", "diff", "billing/issue_refund"] },
        { "POST /api/governance/tools/approve", $$"""{"tool":"billing/issue_refund","pinnedHash":"{{new string('a', 64)}}",{{Extra}}}""", ["tools", "approve", "billing/issue_refund", "--hash", new string('a', 64)] },
        { "GET /api/status/metrics", $$"""{"windows":[],{{Extra}}}""", ["metrics"] },
        { "GET /api/me", $$"""{"name":"bob","roles":["approver"],"demoMode":true,{{Extra}}}""", ["whoami"] },
        { "GET /api/audit/verify", $$"""{"ok":true,"count":3,"headHash":"h3",{{Extra}}}""", ["audit", "verify"] },
        { "GET /api/audit/anchor", $$"""{"version":1,"count":3,"headHash":"h3",{{Extra}}}""", ["audit", "anchor"] },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task JsonPrintsTheApisAnswerAsOneDocumentAndNothingElse(string route, string answer, string[] command)
    {
        var api = new CannedApi().OnJson(route, answer);

        var before = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--json", .. command], new CliOptions { Transport = api });
        var after = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, .. command, "--json"], new CliOptions { Transport = api });

        foreach (var result in new[] { before, after })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("", result.Error);
            Assert.True(JsonElement.DeepEquals(JsonText.Document(answer), JsonText.Document(result.Out)), result.ToString());
        }
    }

    [Fact]
    public async Task AuditShowPrintsEveryPageAsOneArray()
    {
        var api = new CannedApi()
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500", $$"""[{"seq":1,"kind":"tool.decision",{{Extra}}}]""")
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500&afterSeq=1", """[{"seq":5,"kind":"tool.completed"}]""")
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500&afterSeq=5", "[]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "show", "conv_1", "--json"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        var entries = JsonText.Document(result.Out).EnumerateArray().ToList();
        Assert.Equal([1, 5], entries.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.True(entries[0].GetProperty("futureField").GetProperty("kept").GetBoolean());
    }

    [Fact]
    public async Task AuditSearchPrintsTheItemsAndWhereTheNextPageStarts()
    {
        var api = new CannedApi().On("GET /api/audit?decision=denied&afterSeq=0&limit=2", _ =>
        {
            var page = CannedApi.Answer(HttpStatusCode.OK, """[{"seq":3,"decision":"denied"},{"seq":8,"decision":"denied"}]""", "application/json");
            page.Headers.Add("X-Next-After-Seq", "8");
            return page;
        });

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--json", "audit", "search", "--decision", "denied", "--limit", "2"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        var page = JsonText.Document(result.Out);
        Assert.Equal([3, 8], page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(8, page.GetProperty("nextAfterSeq").GetInt64());
    }

    [Fact]
    public async Task AuditSearchOnTheLastPageHasNoNextAfterSeq()
    {
        var api = new CannedApi().OnJson("GET /api/audit?afterSeq=0&limit=200", """[{"seq":3}]""");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--json", "audit", "search"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(JsonText.Document(result.Out).TryGetProperty("nextAfterSeq", out _), result.Out);
    }

    [Fact]
    public async Task AChainThatDoesNotVerifyPrintsTheReportAndStillFails()
    {
        var api = new CannedApi().OnJson("GET /api/audit/verify", """{"ok":false,"count":7,"firstBadSeq":4,"problem":"entry 4 was edited"}""");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--json", "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(4, JsonText.Document(result.Out).GetProperty("firstBadSeq").GetInt64());
        Assert.Contains("The audit chain does NOT verify at seq 4: entry 4 was edited", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyingAFilePrintsTheReport()
    {
        var file = Path.Combine(Path.GetTempPath(), $"agentsuite-cli-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(file, "not json\n");
        try
        {
            var result = await CliRunner.RunAsync("--json", "audit", "verify", "--file", file);

            Assert.Equal(1, result.ExitCode);
            var report = JsonText.Document(result.Out);
            Assert.False(report.GetProperty("ok").GetBoolean());
            Assert.StartsWith("line 1 is not an audit entry", report.Text("problem"), StringComparison.Ordinal);
            Assert.Contains("does NOT verify", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ExportRefusesJsonWithCsv()
    {
        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--json", "audit", "export", "--format", "csv"], new CliOptions { Transport = new CannedApi() });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("--json prints JSON Lines, and --format csv asks for CSV", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatPrintsTheConversationThenEachEventAsItCameOneLineEach()
    {
        var api = DemoTurn.Api(DemoTurn.WithApproval);

        var result = await CliRunner.RunAsync(DemoTurn.Args("--json", "chat", "-m", "refund INV-1006"), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        var lines = JsonText.Lines(result.Out);
        Assert.Equal(("conversation", DemoTurn.ConversationId, true), (lines[0].Text("type"), lines[0].Text("conversationId"), lines[0].GetProperty("created").GetBoolean()));
        Assert.Equal(Enumerable.Range(1, 13), lines.Skip(1).Select(l => l.GetProperty("seq").GetInt32()));
        var pending = lines.Single(l => l.Text("type") == "approval.pending");
        Assert.Equal((DemoTurn.ApprovalId, "call_1/call_2"), (pending.Text("approvalId"), pending.Text("toolCallId")));
        Assert.Equal(("turn.completed", DemoTurn.Reply), (lines[^1].Text("type"), lines[^1].Text("text")));
    }

    [Fact]
    public async Task AFailedTurnInJsonStillExitsOne()
    {
        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "hi", "--json"), new CliOptions { Transport = DemoTurn.Api(DemoTurn.Failed) });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(("turn.failed", "The model did not answer."), (JsonText.Lines(result.Out)[^1].Text("type"), JsonText.Lines(result.Out)[^1].Text("reason")));
    }

    [Fact]
    public async Task InteractiveChatReadsLinesAndKeepsItsPromptsOffStdout()
    {
        var api = DemoTurn.Api(DemoTurn.Failed).OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("failed"));

        var result = await CliRunner.RunAsync(DemoTurn.Args("--json", "chat"), new CliOptions { Transport = api, Input = new StringReader("hello\n\n") });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["conversation", "agent.started", "turn.failed"], JsonText.Lines(result.Out).Select(l => l.Text("type")));
        Assert.Contains($"Continue this conversation later with: agentsuite chat --conversation {DemoTurn.ConversationId}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowPrintsOnlyTheEventsOnStdout()
    {
        var api = DemoTurn.Api("")
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("waiting"))
            .OnEventStream($"GET /api/conversations/{DemoTurn.ConversationId}/turns/current/events", DemoTurn.WithApproval);

        var result = await CliRunner.RunAsync(DemoTurn.Args("conversations", "follow", DemoTurn.ConversationId, "--json"), new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = JsonText.Lines(result.Out);
        Assert.Equal(13, lines.Count);
        Assert.Equal("turn.completed", lines[^1].Text("type"));
        Assert.Contains($"waiting for approval {DemoTurn.ApprovalId}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATurnThatEndedOutOfSightIsOneMadeUpLineWithoutASeq()
    {
        var api = DemoTurn.Api("")
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("abandoned", "the Api restarted mid-step"))
            .OnEventStream($"GET /api/conversations/{DemoTurn.ConversationId}/turns/current/events", "");

        var result = await CliRunner.RunAsync(DemoTurn.Args("--json", "conversations", "follow", DemoTurn.ConversationId), new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(JsonText.Lines(result.Out));
        Assert.Equal(("turn.failed", "The turn was abandoned: the Api restarted mid-step"), (line.Text("type"), line.Text("reason")));
        Assert.False(line.TryGetProperty("seq", out _));
    }

    [Fact]
    public async Task ARefusalPrintsNothingOnStdoutAndTheProblemOnStderr()
    {
        var api = new CannedApi().OnProblem("GET /api/status", HttpStatusCode.Forbidden, "Forbidden", "This needs the admin role.");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--json", "status"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("This needs the admin role. (HTTP 403 Forbidden)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListeningIsExitTwoWithNothingOnStdout()
    {
        var url = $"http://127.0.0.1:{ErrorTests.UnusedPort()}";

        var result = await CliRunner.RunAsync("--url", url, "--json", "approvals", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains($"Cannot reach the AgentSuite Api at {url}/", result.Error, StringComparison.Ordinal);
    }
}
