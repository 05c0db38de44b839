using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary>
/// Coming back to a turn under way, against the real Api: a chat stopped while its refund waits for approval is followed
/// again (<c>conversations follow</c>, <c>chat --conversation</c>) to its reply, also across an Api restart.
/// </summary>
public sealed partial class ReattachAgainstApiTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task FollowShowsAWaitingTurnFromItsStartAndPrintsTheReplyOnceApproved()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        var (conversationId, approvalId) = await StartAndStopWatchingAsync(url);

        var sees = new LiveWriter();
        var follow = CliRunner.RunAsync(["--url", url, "--user", "alice", "conversations", "follow", conversationId], new CliOptions { Output = sees, Timeout = TurnTimeout });
        await sees.WaitForAsync(new Regex($"agentsuite approvals approve {approvalId}"), TurnTimeout);
        Assert.Contains($"conversation {conversationId} turn run_", sees.Text, StringComparison.Ordinal);
        Assert.Contains($"waiting, waiting for approval {approvalId}", sees.Text, StringComparison.Ordinal);
        Assert.Contains("coordinator is working", sees.Text, StringComparison.Ordinal);
        Assert.Contains("completed billing/get_invoice", sees.Text, StringComparison.Ordinal);
        Assert.False(follow.IsCompleted, "follow should wait for the turn to end.");

        var approved = await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "approve", approvalId, "--comment", "ok");
        Assert.True(approved.ExitCode == 0, approved.ToString());

        var result = await follow;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("approval approved billing/issue_refund: ok", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"coordinator> Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006", result.Out);

        // An ended turn: its trail at once, and the same exit code.
        var again = await CliRunner.RunAsync("--url", url, "--user", "alice", "conversations", "follow", conversationId);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("(completed)", again.Out, StringComparison.Ordinal);
        Assert.Matches(@"coordinator> Refunded 150\.00 USD", again.Out);
    }

    [Fact]
    public async Task ChatOnAConversationWithATurnUnderWayFollowsItToItsReplyThenSendsTheMessage()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        var (conversationId, approvalId) = await StartAndStopWatchingAsync(url);

        var sees = new LiveWriter();
        var chat = CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "--conversation", conversationId, "-m", "Please open a case about my login"], new CliOptions { Output = sees, Timeout = TurnTimeout });
        await sees.WaitForAsync(new Regex($"agentsuite approvals approve {approvalId}"), TurnTimeout);
        Assert.Contains($"A turn is under way in this conversation (waiting for approval {approvalId})", sees.Text, StringComparison.Ordinal);

        var approved = await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "approve", approvalId);
        Assert.True(approved.ExitCode == 0, approved.ToString());

        var result = await chat;
        Assert.True(result.ExitCode == 0, result.ToString());
        var refunded = result.Out.IndexOf("coordinator> Refunded 150.00 USD", StringComparison.Ordinal);
        Assert.True(refunded > 0, result.Out);
        // Then the new message gets its own turn and reply.
        Assert.Equal(2, Regex.Count(result.Out, "coordinator> "));
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task FollowReattachesByItselfWhenTheApiRestartsAndShowsTheTurnResumed()
    {
        var api = await ApiServer.StartAsync();
        try
        {
            var url = api.BaseAddress.ToString();
            var (conversationId, approvalId) = await StartAndStopWatchingAsync(url);
            var sees = new LiveWriter();
            var follow = CliRunner.RunAsync(["--url", url, "--user", "alice", "conversations", "follow", conversationId], new CliOptions { Output = sees, Timeout = TurnTimeout });
            await sees.WaitForAsync(new Regex($"agentsuite approvals approve {approvalId}"), TurnTimeout);

            // The same address, so the CLI finds the new process where the old one was.
            api = await api.RestartAsync(new Dictionary<string, string?> { ["Urls"] = $"http://127.0.0.1:{api.BaseAddress.Port}" });
            await sees.WaitForAsync(new Regex("The Api restarted; the turn was resumed"), TurnTimeout);
            await sees.WaitForAsync(new Regex($"(?s)resumed.*agentsuite approvals approve {approvalId}"), TurnTimeout);

            var approved = await CliRunner.RunAsync("--url", url, "--user", "bob", "approvals", "approve", approvalId);
            Assert.True(approved.ExitCode == 0, approved.ToString());

            var result = await follow;
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Matches(@"coordinator> Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006", result.Out);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    /// <summary>Alice asks for the big refund and stops watching (Ctrl+C) once it waits; returns the conversation and approval.</summary>
    private static async Task<(string ConversationId, string ApprovalId)> StartAndStopWatchingAsync(string url)
    {
        using var stop = new CancellationTokenSource();
        var sees = new LiveWriter();
        var chat = CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", BigRefund], new CliOptions { Output = sees, Timeout = TurnTimeout, CancellationToken = stop.Token });
        var approvalId = (await sees.WaitForAsync(ApproveHint(), TurnTimeout)).Groups[1].Value;
        stop.Cancel();
        var stopped = await chat;
        Assert.Equal(130, stopped.ExitCode);
        Assert.Contains("Follow it again with: agentsuite conversations follow", stopped.Error, StringComparison.Ordinal);
        return (ConversationLine().Match(stopped.Out).Groups[1].Value, approvalId);
    }

    [GeneratedRegex(@"agentsuite approvals approve (apr_\w+)")]
    private static partial Regex ApproveHint();

    [GeneratedRegex(@"conversation (conv_\w+)")]
    private static partial Regex ConversationLine();
}
