using System.Net;
using AgentSuite.MockModelServer.Tests.Support;

namespace AgentSuite.MockModelServer.Tests;

/// <summary>How the server is told where to listen and which script to answer from.</summary>
public sealed class StartupTests
{
    private const string EchoScript = """
        agents:
          echo:
            - when: ^say (?<words>.+)$
              steps:
                - reply: "You said: {{match.words}}"
        """;

    [Fact]
    public async Task ScriptOptionChoosesTheScript()
    {
        var script = Path.Combine(Path.GetTempPath(), $"mock-script-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(script, EchoScript);
        try
        {
            await using var server = await MockModelServerProcess.StartAsync([$"--MockModel:Script={script}"]);

            var (status, body) = await server.PostJsonAsync("""{"model":"m","messages":[{"role":"system","name":"echo","content":"Echo."},{"role":"user","content":"say hello over the wire"}]}""");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("You said: hello over the wire", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Assert.Contains($"(script {Path.GetFileName(script)})", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task MissingScriptStopsTheServerNamingIt()
    {
        var script = Path.Combine(Path.GetTempPath(), $"no-such-script-{Guid.NewGuid():N}.yaml");

        var (exitCode, output) = await MockModelServerProcess.RunToExitAsync([$"--MockModel:Script={script}"]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Cannot load the mock script: The mock script '{script}' does not exist.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RandomCallIdsGiveNewIdsToTheSameRequest()
    {
        await using var server = await MockModelServerProcess.StartAsync(["--MockModel:CallIds=random"]);
        var request = $$"""{"model":"m","messages":[{"role":"system","name":"billing","content":"{{Demo.BillingPrompt}}"},{"role":"user","content":"{{Demo.Refund}}"}],"tools":{{Demo.ToolsJson}}}""";

        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var (status, body) = await server.PostJsonAsync(request);
            Assert.Equal(HttpStatusCode.OK, status);
            ids.Add(body.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("id").GetString()!);
        }

        Assert.All(ids, id => Assert.Matches("^call_[0-9a-f]{24}$", id));
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task UnknownCallIdsSettingStopsTheServerNamingIt()
    {
        var (exitCode, output) = await MockModelServerProcess.RunToExitAsync(["--MockModel:CallIds=uuid"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("MockModel:CallIds is 'uuid'; give 'sequential'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AspNetCoreUrlsChoosesWhereItListens()
    {
        await using var server = await MockModelServerProcess.StartAsync(urlsFromEnvironment: true);

        var (status, _) = await server.GetJsonAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"on {server.BaseUri.ToString().TrimEnd('/')} under /v1", server.Output, StringComparison.Ordinal);
    }
}
