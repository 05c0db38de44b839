using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class AuditCommandTests
{
    private const string Trail = """
        [{"seq":7,"at":"2026-01-02T10:00:00Z","kind":"tool.decision","conversationId":"conv_1","agent":"coordinator","principal":"alice","tool":"agents/ask_billing","toolCallId":"call_1","decision":"allowed","hash":"h7"},
         {"seq":8,"at":"2026-01-02T10:00:01Z","kind":"tool.decision","conversationId":"conv_1","agent":"billing","principal":"alice","tool":"billing/issue_refund","toolCallId":"call_1/call_2","decision":"denied","reason":"kill switch global","hash":"h8"}]
        """;

    [Fact]
    public async Task ShowIndentsASpecialistsCallsUnderItsHandOff()
    {
        var api = new CannedApi()
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500", Trail)
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500&afterSeq=8", "[]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "show", "conv_1"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        var root = result.Out.Split('\n').Single(l => l.Contains("call_1 ", StringComparison.Ordinal));
        var specialist = result.Out.Split('\n').Single(l => l.Contains("call_1/call_2", StringComparison.Ordinal));
        Assert.Contains("│ coordinator → agents/ask_billing ", root, StringComparison.Ordinal);
        Assert.Contains("│   billing → billing/issue_refund ", specialist, StringComparison.Ordinal);
        Assert.Contains("kill switch global", specialist, StringComparison.Ordinal);
        Assert.Contains("2 entries", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowReadsEveryPage()
    {
        var api = new CannedApi()
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500", """[{"seq":1,"kind":"tool.decision","toolCallId":"call_1"}]""")
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500&afterSeq=1", """[{"seq":5,"kind":"tool.completed","toolCallId":"call_9"}]""")
            .OnJson("GET /api/audit?conversationId=conv_1&limit=500&afterSeq=5", "[]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "show", "conv_1"], new CliOptions { Transport = api });

        Assert.Contains("call_9", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 entries", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifiedChainExitsZero()
    {
        var api = new CannedApi().OnJson("GET /api/audit/verify", """{"ok":true,"count":42,"headHash":"abc123"}""");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("The audit chain verifies: 42 entries, head hash abc123", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenChainNamesTheFirstBadEntryAndExitsOne()
    {
        var api = new CannedApi().OnJson("GET /api/audit/verify", """{"ok":false,"count":42,"headHash":"abc123","firstBadSeq":17,"problem":"entry 17's hash does not match its content"}""");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The audit chain does NOT verify at seq 17: entry 17's hash does not match its content", result.Error, StringComparison.Ordinal);
    }
}
