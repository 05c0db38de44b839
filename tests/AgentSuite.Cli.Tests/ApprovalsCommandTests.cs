using System.Net;
using System.Text.Json;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class ApprovalsCommandTests
{
    private const string Pending = """
        [{"id":"apr_1","conversationId":"conv_1","runId":"run_1","toolCallId":"call_1/call_2","agent":"billing","tool":"billing/issue_refund",
          "arguments":{"invoice_id":"INV-1006","amount":150.00},"argumentsHash":"ab12","requestedBy":"alice","requestedAt":"2026-01-02T10:00:00Z",
          "expiresAt":"2026-01-02T10:15:00Z","reason":"amount > 100 needs a second person","status":"pending"}]
        """;

    private const string Approved = """
        {"id":"apr_1","agent":"billing","tool":"billing/issue_refund","requestedBy":"alice","status":"approved","decidedBy":"bob","comment":"ok"}
        """;

    [Fact]
    public async Task ListShowsWhatIsAskedByWhomAndWhy()
    {
        var api = new CannedApi().OnJson("GET /api/approvals?status=pending", Pending);

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "approvals", "list"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var text in new[] { "apr_1", "pending", "billing/issue_refund", """{"invoice_id":"INV-1006","amount":150.00}""", "alice", "amount > 100 needs a second person" })
        {
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("pending", "No pending approvals.")]
    [InlineData("timed_out", "No timed out approvals.")]
    [InlineData("all", "No approvals.")]
    public async Task EmptyListSaysSo(string status, string message)
    {
        var api = new CannedApi().OnJson($"GET /api/approvals?status={status}", "[]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "approvals", "list", "--status", status], new CliOptions { Transport = api });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(message, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approve", true)]
    [InlineData("deny", false)]
    public async Task DecisionPostsApproveAndComment(string verb, bool approve)
    {
        var api = new CannedApi().OnJson("POST /api/approvals/apr_1/decision", Approved);

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--user", "bob", "approvals", verb, "apr_1", "--comment", "ok"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        var body = JsonDocument.Parse(Assert.Single(api.Requests).Body!).RootElement;
        Assert.Equal(approve, body.GetProperty("approve").GetBoolean());
        Assert.Equal("ok", body.GetProperty("comment").GetString());
        Assert.Contains("approved apr_1 (billing billing/issue_refund, requested by alice)", result.Out, StringComparison.Ordinal);
    }

    private const string WithContext = """
        {"id":"apr_2","conversationId":"conv_2","agent":"billing","tool":"billing/issue_refund","requestedBy":"carol","status":"STATUS",
         "request":"I was charged twice on INV-1006, please refund it","agentPath":["coordinator","billing"],
         "idempotencyKey":"billing/issue_refund#key:refund-INV-1006-CH-8-duplicate",
         "replay":{"completedAt":"2026-01-02T10:05:00Z","sameArguments":true,"message":"Will be replayed, not executed: the same call (idempotency key 'billing/issue_refund#key:refund-INV-1006-CH-8-duplicate') already completed at 2026-01-02T10:05:00.000Z. Approving returns the stored result; billing/issue_refund does not run again."},
         "links":{"conversation":"http://127.0.0.1:5080/#approvals?conversation=conv_2","conversationApi":"http://127.0.0.1:5080/api/conversations/conv_2"}}
        """;

    [Fact]
    public async Task ListingAndApprovingShowTheRequestTheAgentPathTheConversationAndAReplay()
    {
        var api = new CannedApi()
            .OnJson("GET /api/approvals?status=pending", $"[{WithContext.Replace("STATUS", "pending", StringComparison.Ordinal)}]")
            .OnJson("POST /api/approvals/apr_2/decision", WithContext.Replace("STATUS", "approved", StringComparison.Ordinal));

        var listed = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "approvals", "list"], new CliOptions { Transport = api });
        var approved = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--user", "bob", "approvals", "approve", "apr_2"], new CliOptions { Transport = api });

        foreach (var result in new[] { listed, approved })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("apr_2  agents coordinator → billing  conversation http://127.0.0.1:5080/#approvals?conversation=conv_2", result.Out, StringComparison.Ordinal);
            Assert.Contains("customer asked: \"I was charged twice on INV-1006, please refund it\"", result.Out, StringComparison.Ordinal);
            Assert.Contains("Will be replayed, not executed: the same call (idempotency key 'billing/issue_refund#key:refund-INV-1006-CH-8-duplicate') already completed at 2026-01-02T10:05:00.000Z. Approving returns the stored result; billing/issue_refund does not run again.", result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("approved apr_2 (billing billing/issue_refund, requested by carol)", approved.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovingYourOwnRequestShowsTheApisReason()
    {
        var api = new CannedApi().OnProblem("POST /api/approvals/apr_1/decision", HttpStatusCode.Forbidden, "Forbidden", "alice requested this call and cannot approve it; another approver must.");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--user", "alice", "approvals", "approve", "apr_1"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("alice requested this call and cannot approve it; another approver must. (HTTP 403 Forbidden)", result.Error, StringComparison.Ordinal);
    }
}
