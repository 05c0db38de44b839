using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary>
/// The CLI against the real Api (in process on Kestrel, mock model, the three plugin servers over stdio): what a
/// person types, and what they see.
/// </summary>
public sealed partial class CliAgainstApiTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";
    private const string SmallRefund = "I was charged twice on INV-1002, please refund it";
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ChatWaitsForApprovalUntilSomeoneElseApprovesFromTheCli()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        var aliceSees = new LiveWriter();

        var chat = CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "--message", BigRefund], new CliOptions { Output = aliceSees, Timeout = TurnTimeout });
        var approvalId = (await aliceSees.WaitForAsync(ApproveHint(), TurnTimeout)).Groups[1].Value;
        Assert.Contains("waiting for approval billing/issue_refund: Refunds above 100 need a second person.", aliceSees.Text, StringComparison.Ordinal);
        Assert.False(chat.IsCompleted, "The chat should wait for the approval.");

        var inbox = await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "list");
        Assert.True(inbox.ExitCode == 0, inbox.ToString());
        var row = Assert.Single(inbox.Out.Split('\n'), l => l.StartsWith('│') && l.Contains(approvalId, StringComparison.Ordinal));
        foreach (var text in new[] { "pending", "billing/issue_refund", "\"amount\":150", "alice", "Refunds above 100 need a second person." })
        {
            Assert.Contains(text, row, StringComparison.Ordinal);
        }

        Assert.Contains($"{approvalId}  agents coordinator → billing  conversation {url}#approvals?conversation=conv_", inbox.Out, StringComparison.Ordinal);
        Assert.Contains($"customer asked: \"{BigRefund}\"", inbox.Out, StringComparison.Ordinal);

        var own = await CliRunner.RunAsync("--url", url, "--user", "alice", "approvals", "approve", approvalId);
        Assert.Equal(1, own.ExitCode);
        Assert.Contains("'alice' asked for this call and cannot also approve it", own.Error, StringComparison.Ordinal);
        Assert.Contains("(HTTP 403", own.Error, StringComparison.Ordinal);

        var approved = await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "approve", approvalId, "--comment", "ok");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains($"approved {approvalId}", approved.Out, StringComparison.Ordinal);
        Assert.Contains($"customer asked: \"{BigRefund}\"", approved.Out, StringComparison.Ordinal);

        var result = await chat;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("approval approved billing/issue_refund: ok", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"coordinator> Refunded 150\.00 USD for the duplicate charge CH-\d+ on INV-1006; the refund id is RF-\d+\.", result.Out);

        var again = await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "approve", approvalId);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("(HTTP 409", again.Error, StringComparison.Ordinal);
        Assert.Contains("No pending approvals.", (await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmallRefundIsPaidAtOnceAndTheAuditTrailShowsTheHandOffTree()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();

        var chat = await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", SmallRefund], new CliOptions { Timeout = TurnTimeout });

        Assert.True(chat.ExitCode == 0, chat.ToString());
        Assert.Matches(@"coordinator> Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.", chat.Out);
        Assert.DoesNotContain("waiting for approval", chat.Out, StringComparison.Ordinal);
        var conversationId = ConversationLine().Match(chat.Out).Groups[1].Value;

        var audit = await CliRunner.RunAsync("--url", url, "audit", "show", conversationId);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var handOff = audit.Out.Split('\n').First(l => l.Contains("coordinator → agents/ask_billing", StringComparison.Ordinal));
        var refund = audit.Out.Split('\n').First(l => l.Contains("billing → billing/issue_refund", StringComparison.Ordinal));
        Assert.Contains("│ coordinator → agents/ask_billing", handOff, StringComparison.Ordinal);
        Assert.Contains("│   billing → billing/issue_refund", refund, StringComparison.Ordinal);
        Assert.Contains("alice", refund, StringComparison.Ordinal);

        var verify = await CliRunner.RunAsync("--url", url, "audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("The audit chain verifies:", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlobalKillSwitchStopsTheNextChatUntilReleased()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();

        var engaged = await CliRunner.RunAsync("--url", url, "kill-switch", "engage", "global");
        Assert.True(engaged.ExitCode == 0, engaged.ToString());
        Assert.Contains("global", engaged.Out, StringComparison.Ordinal);

        // Refused before a turn starts (403): nothing runs, and the person is told what stopped it and how it ends.
        var stopped = await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", SmallRefund], new CliOptions { Timeout = TurnTimeout });
        Assert.True(stopped.ExitCode != 0, stopped.ToString());
        Assert.Contains("The kill switch 'global' is engaged", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("agentsuite kill-switch release", stopped.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("whoami", stopped.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Refunded 49.00", stopped.Out, StringComparison.Ordinal);

        var released = await CliRunner.RunAsync("--url", url, "kill-switch", "release", "global");
        Assert.True(released.ExitCode == 0, released.ToString());
        Assert.Contains("No kill switch is engaged.", released.Out, StringComparison.Ordinal);

        var again = await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", SmallRefund], new CliOptions { Timeout = TurnTimeout });
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Refunded 49.00", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillSwitchWithATypoIsRefusedNamingTheClosestScopeAndAReasonReachesTheAudit()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();

        var typo = await CliRunner.RunAsync("--url", url, "kill-switch", "engage", "agent:biling");
        Assert.NotEqual(0, typo.ExitCode);
        Assert.Contains("Did you mean 'agent:billing'?", typo.ToString(), StringComparison.Ordinal);

        var engaged = await CliRunner.RunAsync("--url", url, "kill-switch", "engage", "agent:billing", "--reason", "refunds look wrong");
        Assert.True(engaged.ExitCode == 0, engaged.ToString());
        using var ops = api.Client("ops");
        var entry = System.Text.Json.JsonDocument.Parse(await ops.GetStringAsync("/api/audit")).RootElement.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "governance.kill_switch");
        Assert.Equal(("agent:billing", "refunds look wrong"), (entry.GetProperty("reason").GetString(), entry.GetProperty("data").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task UnknownConversationPrintsTheProblemDetail()
    {
        await using var api = await ApiServer.StartAsync();

        var result = await CliRunner.RunAsync("--url", api.BaseAddress.ToString(), "chat", "--conversation", "conv_nope", "-m", "hello");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("conv_nope", result.Error, StringComparison.Ordinal);
        Assert.Contains("(HTTP 404", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoAmIShowsTheDemoName()
    {
        await using var api = await ApiServer.StartAsync();

        var result = await CliRunner.RunAsync("--url", api.BaseAddress.ToString(), "--user", "bob", "whoami");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("bob (", result.Out, StringComparison.Ordinal);
        Assert.Contains("demo mode", result.Out, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"agentsuite approvals approve (apr_\w+)")]
    private static partial Regex ApproveHint();

    [GeneratedRegex(@"conversation (conv_\w+)")]
    private static partial Regex ConversationLine();
}
