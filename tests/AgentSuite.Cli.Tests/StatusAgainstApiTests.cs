using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary><c>agentsuite status</c> and <c>tools diff|approve</c> against the real Api.</summary>
public sealed class StatusAgainstApiTests
{
    // Every server of the one list runs; none is pinned here.
    private static readonly int Listed = ToolServersFile.Servers.Count;

    private static Dictionary<string, string?> Settings()
    {
        var settings = DeskKeys.Settings();
        settings["Mcp:StatusInterval"] = "00:00:00.200";
        return settings;
    }

    [Fact]
    public async Task StatusPrintsTheServersLiveOrDownTheModelThePolicyVersionAndTheEngagedSwitches()
    {
        await using var api = await ApiServer.StartAsync(Settings());
        var url = api.BaseAddress.ToString();
        Assert.Equal(0, (await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "kill-switch", "engage", "agent:billing", "--reason", "refunds look wrong")).ExitCode);

        var live = await StatusUntilAsync(url, s => s.Contains($"({Listed} of {Listed} live)", StringComparison.Ordinal));
        Assert.Matches(@"Model mock demo", live);
        Assert.Matches("Policy [0-9a-f]{12} \\(in force since ", live);
        Assert.Contains("No tool is blocked", live, StringComparison.Ordinal);
        Assert.Contains("agent:billing by ops at ", live, StringComparison.Ordinal);
        Assert.Contains(": refunds look wrong", live, StringComparison.Ordinal);
        Assert.Contains("Api instances (1 of 1 live", live, StringComparison.Ordinal);
        Assert.Matches(@"/[0-9a-f]{6} \(this one\)", live);

        Assert.Equal(1, PluginProcesses.KillServerUsing(Path.Combine(api.DataFolder, "billing.db")));
        var down = await StatusUntilAsync(url, s => s.Contains($"({Listed - 1} of {Listed} live)", StringComparison.Ordinal));
        var billing = Assert.Single(down.Split('\n'), l => l.Contains(" billing ", StringComparison.Ordinal));
        Assert.Contains("down", billing, StringComparison.Ordinal);
        Assert.Contains("its process exited with code", billing, StringComparison.Ordinal);

        var refused = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Alice, "status");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("admin", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusPrintsEachPrincipalsTokensTodayAgainstItsBudgetAndAPrincipalSwitchEngages()
    {
        var settings = Settings();
        settings["Governance:Limits:DailyTokens"] = "0";
        settings["Governance:Limits:Principals:alice:DailyTokens"] = "1";
        settings["Governance:Limits:Principals:bob:DailyTokens"] = "100000";
        await using var api = await ApiServer.StartAsync(settings);
        var url = api.BaseAddress.ToString();
        var chat = await CliRunner.RunAsync(["--url", url, "--api-key", DeskKeys.Alice, "chat", "-m", "I was charged twice on INV-1002, please refund it"], new CliOptions { Timeout = TimeSpan.FromSeconds(120) });
        Assert.Contains("token budget: principal 'alice' has spent", chat.Out + chat.Error, StringComparison.Ordinal);
        var engaged = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "kill-switch", "engage", "principal:acme-refund-bot", "--reason", "retrying at machine speed");
        Assert.True(engaged.ExitCode == 0, engaged.ToString());

        var status = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "status");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("principal:acme-refund-bot by ops at ", status.Out, StringComparison.Ordinal);
        Assert.Contains("Token budgets today", status.Out, StringComparison.Ordinal);
        var alice = Assert.Single(status.Out.Split('\n'), l => l.Contains(" alice ", StringComparison.Ordinal));
        Assert.Contains("0 (spent)", alice, StringComparison.Ordinal);
        var bob = Assert.Single(status.Out.Split('\n'), l => l.Contains(" bob ", StringComparison.Ordinal));
        Assert.Matches(@"bob\s+\S\s+0\s+\S\s+100,000\s+\S\s+100,000", bob);
    }

    [Fact]
    public async Task AChangedToolShowsAsBlockedItsDiffShowsWhatChangedAndApprovingItUnblocksIt()
    {
        var api = await ApiServer.StartAsync(Settings());
        try
        {
            await StatusUntilAsync(api.BaseAddress.ToString(), s => s.Contains($"({Listed} of {Listed} live)", StringComparison.Ordinal));
            api = await api.RestartAsync(Settings(), folder => EarlierToolDefinition.Pin(folder, "billing/issue_refund"));
            var url = api.BaseAddress.ToString();

            var status = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "status");
            Assert.Contains("1 blocked", status.Out, StringComparison.Ordinal);
            Assert.Contains("blocked billing/issue_refund (its definition changed since it was approved; review: agentsuite tools diff billing/issue_refund)", status.Out, StringComparison.Ordinal);

            var diff = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "tools", "diff", "billing/issue_refund");
            Assert.True(diff.ExitCode == 0, diff.ToString());
            var lines = diff.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
            Assert.Contains(lines, l => l.StartsWith("- ", StringComparison.Ordinal) && l.Contains(EarlierToolDefinition.Description, StringComparison.Ordinal));
            var added = Assert.Single(lines, l => l.StartsWith("+ ", StringComparison.Ordinal));
            Assert.Contains("\"description\":", added, StringComparison.Ordinal);
            Assert.Contains(lines, l => l.StartsWith("  ", StringComparison.Ordinal) && l.Contains("\"inputSchema\"", StringComparison.Ordinal));
            var observed = Assert.Single(lines, l => l.StartsWith("served hash ", StringComparison.Ordinal))["served hash ".Length..].Trim();
            Assert.Matches("^[0-9a-f]{64}$", observed);
            Assert.Contains($"agentsuite tools approve billing/issue_refund --hash {observed}", diff.Out, StringComparison.Ordinal);

            // Without the hash of what was reviewed, nothing is approved: the diff is shown and --hash asked for.
            var unreviewed = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "tools", "approve", "billing/issue_refund");
            Assert.Equal(1, unreviewed.ExitCode);
            Assert.Contains(EarlierToolDefinition.Description, unreviewed.Out, StringComparison.Ordinal);
            Assert.Contains("Nothing approved", unreviewed.Error, StringComparison.Ordinal);
            Assert.Contains("--hash", unreviewed.Error, StringComparison.Ordinal);
            Assert.Contains("1 blocked", (await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "status")).Out, StringComparison.Ordinal);

            // A hash other than the one served now (a definition that changed after the review) is the Api's 409.
            var stale = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "tools", "approve", "billing/issue_refund", "--hash", new string('0', 64));
            Assert.Equal(1, stale.ExitCode);
            Assert.Contains($"currently has definition sha256:{observed}", stale.Error, StringComparison.Ordinal);

            var approve = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "tools", "approve", "billing/issue_refund", "--hash", $"sha256:{observed}");
            Assert.True(approve.ExitCode == 0, approve.ToString());
            Assert.Contains($"approved billing/issue_refund (sha256:{observed}", approve.Out.ReplaceLineEndings(""), StringComparison.Ordinal);
            Assert.Contains("by ops", approve.Out, StringComparison.Ordinal);
            Assert.Contains("No tool is blocked", (await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "status")).Out, StringComparison.Ordinal);

            var bad = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "tools", "diff", "issue_refund");
            Assert.Equal(1, bad.ExitCode);
            Assert.Contains("name it as SERVER/NAME", bad.Error, StringComparison.Ordinal);
            var unknown = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "tools", "diff", "billing/nosuch");
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("No tool 'billing/nosuch' has been seen", unknown.Error, StringComparison.Ordinal);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    /// <summary>Runs <c>agentsuite status</c> as ops until its output satisfies <paramref name="until"/>.</summary>
    private static Task<string> StatusUntilAsync(string url, Func<string, bool> until) =>
        StatusPolling.UntilAsync("agentsuite status", async () =>
        {
            var result = await CliRunner.RunAsync("--url", url, "--api-key", DeskKeys.Ops, "status");
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Out;
        }, until);
}
