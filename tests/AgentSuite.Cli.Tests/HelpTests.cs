using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("agentsuite chat -m", "chat")]
    [InlineData("agentsuite chat --conversation conv_0123abcd       # a turn under way is followed first", "chat")]
    [InlineData("agentsuite conversations follow conv_", "conversations")]
    [InlineData("agentsuite conversations list --status waiting", "conversations", "list")]
    [InlineData("agentsuite conversations follow conv_0123abcd --after 12", "conversations", "follow")]
    [InlineData("agentsuite conversations follow conv_", "--help")]
    [InlineData("agentsuite approvals list", "approvals", "list")]
    [InlineData("agentsuite approvals approve apr_", "approvals", "approve")]
    [InlineData("agentsuite approvals deny apr_", "approvals", "deny")]
    [InlineData("agentsuite audit show conv_", "audit", "show")]
    [InlineData("agentsuite audit verify", "audit", "verify")]
    [InlineData("agentsuite kill-switch engage global", "kill-switch")]
    [InlineData("agentsuite kill-switch engage", "kill-switch", "engage")]
    [InlineData("agentsuite kill-switch release", "kill-switch", "release")]
    [InlineData("agentsuite whoami", "whoami")]
    [InlineData("agentsuite status", "status")]
    [InlineData("agentsuite tools diff billing/issue_refund", "tools")]
    [InlineData("agentsuite tools approve billing/issue_refund --hash", "tools", "approve")]
    [InlineData("agentsuite metrics --at", "metrics")]
    [InlineData("agentsuite audit verify", "--help")]
    public async Task EveryCommandsHelpEndsWithExamples(string example, params string[] command)
    {
        var result = await CliRunner.RunAsync([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        var examples = result.Out[result.Out.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains(example, examples, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlobalOptionsAreListedOnEveryCommand()
    {
        var result = await CliRunner.RunAsync("approvals", "approve", "--help");

        Assert.Contains("--url", result.Out, StringComparison.Ordinal);
        Assert.Contains("$AGENTSUITE_URL, else http://127.0.0.1:5080", result.Out, StringComparison.Ordinal);
        Assert.Contains("--api-key", result.Out, StringComparison.Ordinal);
        Assert.Contains("--token", result.Out, StringComparison.Ordinal);
        Assert.Contains("--user", result.Out, StringComparison.Ordinal);
        Assert.Contains("--json", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("approvals")]
    [InlineData("audit")]
    [InlineData("conversations")]
    [InlineData("tools")]
    public async Task CommandWithNothingToDoOnItsOwnShowsItsHelp(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Commands:", result.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownStatusIsRefusedWithTheChoices()
    {
        var result = await CliRunner.RunAsync("approvals", "list", "--status", "maybe");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'maybe'", result.Error, StringComparison.Ordinal);
        Assert.Contains("timed_out", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingArgumentIsAUsageError()
    {
        var result = await CliRunner.RunAsync("approvals", "approve");

        Assert.Equal(1, result.ExitCode);
        Assert.NotEqual("", result.Error);
    }
}
