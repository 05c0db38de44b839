using System.Text.Json;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class KillSwitchCommandTests
{
    [Theory]
    [InlineData("engage", true)]
    [InlineData("release", false)]
    public async Task EngageAndReleasePutTheScope(string verb, bool engaged)
    {
        var api = new CannedApi().OnJson("PUT /api/governance/kill-switch", """{"engaged":[{"scope":"agent:billing","source":"runtime"}]}""");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "kill-switch", verb, "agent:billing"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        var body = JsonDocument.Parse(Assert.Single(api.Requests).Body!).RootElement;
        Assert.Equal("agent:billing", body.GetProperty("scope").GetString());
        Assert.Equal(engaged, body.GetProperty("engaged").GetBoolean());
        Assert.Contains("agent:billing", result.Out, StringComparison.Ordinal);
        Assert.Contains("runtime", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("list")]
    public async Task ListSaysWhenNoneIsEngaged(params string[] args)
    {
        var api = new CannedApi().OnJson("GET /api/governance/kill-switch", """{"engaged":[]}""");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "kill-switch", .. args], new CliOptions { Transport = api });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No kill switch is engaged.", result.Out, StringComparison.Ordinal);
    }
}
