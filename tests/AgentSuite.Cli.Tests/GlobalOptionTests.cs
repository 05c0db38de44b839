using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class GlobalOptionTests
{
    private const string NoSwitches = """{"engaged":[]}""";

    [Fact]
    public async Task ApiKeyIsSentAndTheUserNameIsNot()
    {
        var api = new CannedApi().OnJson("GET /api/governance/kill-switch", NoSwitches);

        await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--api-key", "k-123", "--user", "bob", "kill-switch"], new CliOptions { Transport = api });

        var request = Assert.Single(api.Requests);
        Assert.Equal("k-123", request.Headers["X-Api-Key"]);
        Assert.False(request.Headers.ContainsKey("X-User"));
    }

    [Fact]
    public async Task ABearerTokenFromTheEnvironmentIsSentInsteadOfTheKeyAndTheName()
    {
        var api = new CannedApi().OnJson("GET /api/governance/kill-switch", NoSwitches);
        var environment = new Dictionary<string, string?> { ["AGENTSUITE_TOKEN"] = "eyJ.token.sig" };

        await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--api-key", "k-123", "--user", "bob", "kill-switch"], new CliOptions { Transport = api, Environment = environment });

        var request = Assert.Single(api.Requests);
        Assert.Equal("Bearer eyJ.token.sig", request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("X-Api-Key"));
        Assert.False(request.Headers.ContainsKey("X-User"));
    }

    [Fact]
    public async Task UserNameIsSentWhenNoKeyIsGiven()
    {
        var api = new CannedApi().OnJson("GET /api/governance/kill-switch", NoSwitches);

        await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "kill-switch", "--user", "bob"], new CliOptions { Transport = api });

        var request = Assert.Single(api.Requests);
        Assert.Equal("bob", request.Headers["X-User"]);
        Assert.False(request.Headers.ContainsKey("X-Api-Key"));
    }

    [Fact]
    public async Task WithoutAKeyOrANameEveryRequestNamesLocalUser()
    {
        var api = new CannedApi().OnJson("PUT /api/governance/kill-switch", NoSwitches);

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "kill-switch", "release", "global"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(api.Requests);
        Assert.Equal("local-user", request.Headers["X-User"]);
    }

    [Fact]
    public async Task EnvironmentGivesTheDefaults()
    {
        var api = new CannedApi().OnJson("GET /api/governance/kill-switch", NoSwitches);
        var environment = new Dictionary<string, string?> { ["AGENTSUITE_URL"] = CannedApi.BaseUrl, ["AGENTSUITE_API_KEY"] = "k-env" };

        var result = await CliRunner.RunAsync(["kill-switch"], new CliOptions { Transport = api, Environment = environment });

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("k-env", request.Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task OptionsBeatTheEnvironment()
    {
        var api = new CannedApi().OnJson("GET /api/governance/kill-switch", NoSwitches);
        var environment = new Dictionary<string, string?> { ["AGENTSUITE_URL"] = "http://elsewhere.test:1", ["AGENTSUITE_API_KEY"] = "k-env" };

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "--api-key", "k-opt", "kill-switch"], new CliOptions { Transport = api, Environment = environment });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("k-opt", Assert.Single(api.Requests).Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task UrlWithABasePathKeepsIt()
    {
        var api = new CannedApi().OnJson("GET /agentsuite/api/governance/kill-switch", NoSwitches);

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl + "/agentsuite", "kill-switch"], new CliOptions { Transport = api });

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("localhost:5080")]
    [InlineData("ftp://127.0.0.1/")]
    public async Task UrlThatIsNotHttpIsRefusedWithAnExample(string url)
    {
        var result = await CliRunner.RunAsync(["--url", url, "kill-switch"], new CliOptions { Transport = new CannedApi() });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{url}' is not an http:// or https:// URL", result.Error, StringComparison.Ordinal);
        Assert.Contains("--url http://127.0.0.1:5080", result.Error, StringComparison.Ordinal);
    }
}
