using System.Text.RegularExpressions;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary>An approval id is printed whole on one line at any terminal width, so it can be copied into the next command.</summary>
public sealed partial class ApprovalIdWrappingTests
{
    // Longer than the narrowest terminal below, as a fork's ids may be.
    private const string LongId = "apr_0123456789abcdef0123456789abcdef_with_a_longer_suffix_than_usual";
    private const string ConversationId = "conv_0123456789abcdef0123456789abcdef";

    private static readonly string Approval = $$"""
        {"id":"{{LongId}}","conversationId":"{{ConversationId}}","agent":"billing","tool":"billing/issue_refund",
         "arguments":{"invoice_id":"INV-1006","amount":150.00,"reason":"duplicate charge on the card ending 4242"},
         "requestedBy":"alice","requestedAt":"2026-01-02T10:00:00Z","reason":"Refunds above 100 need a second person.","status":"pending",
         "request":"I was charged twice on INV-1006, please refund it","agentPath":["coordinator","billing"]}
        """;

    public static TheoryData<int> Widths => [20, 40, 80, 120, 400];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task ApprovalsListPrintsEachIdWhole(int width)
    {
        var api = new CannedApi().OnJson("GET /api/approvals?status=pending", $"[{Approval}]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "approvals", "list"], new CliOptions { Transport = api, Width = width });

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertWhole(result.Out, LongId, "apr_");
        Assert.Contains("Refunds above 100 need a second person.", Regex.Replace(result.Out, @"\s*[│|]?\s*\n\s*[│|]?\s*", " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWideTerminalStillGetsTheTable()
    {
        var api = new CannedApi().OnJson("GET /api/approvals?status=pending", $"[{Approval}]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "approvals", "list"], new CliOptions { Transport = api, Width = 400 });

        Assert.Single(result.Out.Split('\n'), l => l.StartsWith('│') && l.Contains(LongId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANarrowTerminalGetsOneBlockPerApprovalStartingWithItsId()
    {
        var api = new CannedApi().OnJson("GET /api/approvals?status=pending", $"[{Approval}]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "approvals", "list"], new CliOptions { Transport = api, Width = 40 });

        Assert.DoesNotContain("│", result.Out, StringComparison.Ordinal);
        Assert.StartsWith($"{LongId}  pending\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("billing/issue_refund", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task ConversationsListPrintsEachIdWhole(int width)
    {
        var page = $$$"""{"items":[{"id":"{{{ConversationId}}}","createdBy":"alice","createdAt":"2026-01-02T10:00:00Z","messageCount":1,"turn":{"runId":"run_1","status":"waiting","approvalId":"{{{LongId}}}"}}]}""";
        var api = new CannedApi().OnJson("GET /api/conversations?", page);

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "conversations", "list"], new CliOptions { Transport = api, Width = width });

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertWhole(result.Out, LongId, "apr_");
        AssertWhole(result.Out, ConversationId, "conv_");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task DecidingPrintsTheIdWhole(int width)
    {
        var api = new CannedApi().OnJson($"POST /api/approvals/{LongId}/decision", Approval.Replace("\"pending\"", "\"approved\"", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--user", "bob", "approvals", "approve", LongId], new CliOptions { Transport = api, Width = width });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"approved {LongId} (", result.Out, StringComparison.Ordinal);
        AssertWhole(result.Out, LongId, "apr_");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task ChatPrintsTheApproveCommandWithTheIdWhole(int width)
    {
        var stream = DemoTurn.WithApproval.Replace(DemoTurn.ApprovalId, LongId, StringComparison.Ordinal);

        var result = await CliRunner.RunAsync(DemoTurn.Args("chat", "-m", "refund INV-1006"), new CliOptions { Transport = DemoTurn.Api(stream), Width = width });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"\n      agentsuite approvals approve {LongId}\n", result.Out, StringComparison.Ordinal);
        AssertWhole(result.Out, LongId, "apr_");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task FollowingAWaitingTurnNamesItsApprovalWhole(int width)
    {
        var stream = DemoTurn.WithApproval.Replace(DemoTurn.ApprovalId, LongId, StringComparison.Ordinal);
        var api = DemoTurn.Api("")
            .OnJson($"GET /api/conversations/{DemoTurn.ConversationId}", DemoTurn.Conversation("waiting").Replace(DemoTurn.ApprovalId, LongId, StringComparison.Ordinal))
            .OnEventStream($"GET /api/conversations/{DemoTurn.ConversationId}/turns/current/events", stream);

        var result = await CliRunner.RunAsync(DemoTurn.Args("conversations", "follow", DemoTurn.ConversationId), new CliOptions { Transport = api, Width = width });

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertWhole(result.Out, LongId, "apr_");
    }

    /// <summary>Every place the output starts an id of this kind, the whole id follows on the same line.</summary>
    private static void AssertWhole(string output, string id, string prefix)
    {
        var starts = Regex.Matches(output, Regex.Escape(prefix) + @"\S*").Select(m => m.Value.TrimEnd(')', ',', ';', '.', '│')).ToList();
        Assert.NotEmpty(starts);
        Assert.All(starts, shown => Assert.True(shown.StartsWith(id, StringComparison.Ordinal), $"'{shown}' is not the whole id {id}:\n{output}"));
    }
}
