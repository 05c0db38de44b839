using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary><c>--token</c> and <c>AGENTSUITE_TOKEN</c> against the real Api trusting a test identity provider's key.</summary>
public sealed class TokenAgainstApiTests
{
    [Fact]
    public async Task ATokenSignsTheCliInAsItsSubjectAndARefusedTokenSaysWhyAndHowToPassAnother()
    {
        await using var issuer = new TokenIssuer();
        await using var api = await ApiServer.StartAsync(issuer.Settings());
        var url = api.BaseAddress.ToString();
        var alice = issuer.Token("sub-alice", "Alice Smith", ["user"]);

        var whoami = await CliRunner.RunAsync("--url", url, "--token", alice, "whoami");
        var chat = await CliRunner.RunAsync(
            ["--url", url, "chat", "-m", "I was charged twice on INV-1002, please refund it"],
            new CliOptions { Environment = new Dictionary<string, string?> { ["AGENTSUITE_TOKEN"] = alice }, Timeout = TimeSpan.FromSeconds(120) });
        var expired = await CliRunner.RunAsync("--url", url, "--token", issuer.Token("sub-alice", "Alice Smith", ["user"], expires: DateTime.UtcNow.AddHours(-2)), "whoami");
        var demoName = await CliRunner.RunAsync("--url", url, "--user", "alice", "whoami");

        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains("Alice Smith (sub-alice) (user)", whoami.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("demo mode", whoami.Out, StringComparison.Ordinal);
        Assert.True(chat.ExitCode == 0, chat.ToString());
        Assert.Contains("Refunded 49.00 USD", chat.Out, StringComparison.Ordinal);
        Assert.Equal(1, expired.ExitCode);
        Assert.Contains("The bearer token expired at", expired.Error, StringComparison.Ordinal);
        Assert.Contains("Pass a bearer token with --token", expired.Error, StringComparison.Ordinal);
        Assert.Equal(1, demoName.ExitCode);
        Assert.Contains("Send a bearer token in the Authorization header", demoName.Error, StringComparison.Ordinal);
    }
}
