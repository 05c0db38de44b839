using System.Net;
using System.Net.Sockets;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class ErrorTests
{
    [Fact]
    public async Task ProblemDetailIsPrintedOnStderrWithItsStatus()
    {
        var api = new CannedApi().OnProblem("GET /api/conversations/conv_nope", HttpStatusCode.NotFound, "Not Found", "Conversation 'conv_nope' does not exist.");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "chat", "-c", "conv_nope", "-m", "hi"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Conversation 'conv_nope' does not exist. (HTTP 404 Not Found)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnauthorizedSaysHowToPassATokenOrAKey()
    {
        var api = new CannedApi().OnProblem("GET /api/approvals?status=pending", HttpStatusCode.Unauthorized, "Unauthorized", "A valid X-Api-Key is required.");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "approvals", "list"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("A valid X-Api-Key is required. (HTTP 401 Unauthorized)", result.Error, StringComparison.Ordinal);
        Assert.Contains("or an API key with --api-key (or AGENTSUITE_API_KEY)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorThatIsNotAProblemShowsItsBody()
    {
        var api = new CannedApi().On("GET /api/audit/verify", _ => CannedApi.Answer(HttpStatusCode.BadGateway, "upstream down", "text/plain"));

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("upstream down (HTTP 502 Bad Gateway)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerThatIsNotTheApisJsonAsksWhetherTheUrlIsRight()
    {
        var api = new CannedApi().On("GET /api/audit/verify", _ => CannedApi.Answer(HttpStatusCode.OK, "<html>hello</html>", "text/html"));

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Is --url the AgentSuite Api?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonOfTheWrongShapeIsAnErrorNotACrash()
    {
        var api = new CannedApi().OnJson("GET /api/audit/verify", "[1, 2]");

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The Api answered with JSON the CLI cannot read", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableApiNamesTheUrlAndHowToStartIt()
    {
        var url = $"http://127.0.0.1:{UnusedPort()}";

        var result = await CliRunner.RunAsync("--url", url, "chat", "-m", "hello");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Cannot reach the AgentSuite Api at {url}/: nothing is listening there", result.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/AgentSuite.Api", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    internal static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
