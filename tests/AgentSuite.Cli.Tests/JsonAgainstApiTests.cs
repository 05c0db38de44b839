using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary>A script driving the real Api with <c>--json</c>: a refund that waits, approved by another person, then audited.</summary>
public sealed partial class JsonAgainstApiTests
{
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task AScriptFollowsATurnApprovesItsRefundAndReadsTheAuditFromJsonAlone()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        var aliceSees = new LiveWriter();

        var chat = CliRunner.RunAsync(["--url", url, "--user", "alice", "--json", "chat", "-m", "I was charged twice on INV-1006, please refund it"],
            new CliOptions { Output = aliceSees, Timeout = TurnTimeout });
        await aliceSees.WaitForAsync(PendingLine(), TurnTimeout);
        var approvalId = JsonText.Lines(aliceSees.Text).Single(l => l.Text("type") == "approval.pending").Text("approvalId")!;

        var inbox = await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "list", "--json");
        Assert.True(inbox.ExitCode == 0, inbox.ToString());
        var pending = Assert.Single(JsonText.Document(inbox.Out).EnumerateArray());
        Assert.Equal((approvalId, "billing/issue_refund", "alice"), (pending.Text("id"), pending.Text("tool"), pending.Text("requestedBy")));
        Assert.Equal(150, pending.GetProperty("arguments").GetProperty("amount").GetDecimal());

        var approved = await CliRunner.RunAsync("--url", url, "--user", "bob", "--json", "approvals", "approve", approvalId, "--comment", "ok");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal(("approved", "bob"), (JsonText.Document(approved.Out).Text("status"), JsonText.Document(approved.Out).Text("decidedBy")));

        var turn = await chat;
        Assert.True(turn.ExitCode == 0, turn.ToString());
        var lines = JsonText.Lines(turn.Out);
        var conversationId = lines[0].Text("conversationId")!;
        Assert.Equal("conversation", lines[0].Text("type"));
        Assert.Equal("turn.completed", lines[^1].Text("type"));
        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-\d+ on INV-1006", lines[^1].Text("text"));

        var audit = await CliRunner.RunAsync("--url", url, "--json", "audit", "show", conversationId);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var entries = JsonText.Document(audit.Out).EnumerateArray().ToList();
        Assert.Contains(entries, e => e.Text("kind") == "approval.resolved" && e.Text("decision") == "approved");
        Assert.All(entries, e => Assert.Equal(64, e.Text("hash")!.Length));

        var verify = await CliRunner.RunAsync("--url", url, "--json", "audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(JsonText.Document(verify.Out).GetProperty("ok").GetBoolean());
    }

    [GeneratedRegex("\"type\":\"approval.pending\"")]
    private static partial Regex PendingLine();
}
