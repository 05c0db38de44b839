using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Mcp.Tests;

/// <summary>
/// A connection's liveness is checked on its open session, over real stdio and real HTTP: a server that answers is
/// live, a stdio server whose process died is reported with its exit code, and the check itself never reconnects.
/// </summary>
public sealed class LivenessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task AStdioServerThatDiesIsReportedWithItsExitCodeAndNotRestartedByTheCheck()
    {
        var data = new TempDataFile();
        await using (var h = new McpHarness(realServers: new Dictionary<string, string?>
        {
            ["Mcp:Servers:billing:Command"] = "dotnet",
            ["Mcp:Servers:billing:Arguments:0"] = BuiltPlugins.DllPath(BuiltPlugins.Billing),
            ["Mcp:Servers:billing:Arguments:1"] = "--data",
            ["Mcp:Servers:billing:Arguments:2"] = data.Path,
        }))
        {
            var connection = h.Catalog.Connection("billing");
            Assert.Equal("not connected; the next call to one of its tools connects", await connection.CheckLivenessAsync(Wait));
            await h.ToolAsync("issue_refund");
            Assert.Null(await connection.CheckLivenessAsync(Wait));

            Assert.Equal(1, PluginProcesses.KillServerUsing(data.Path));
            var problem = await connection.CheckLivenessAsync(Wait);

            Assert.Matches("^its process exited with code [0-9]+; the next call to one of its tools reconnects$", problem);
            Assert.Equal(problem, await connection.CheckLivenessAsync(Wait));
            Assert.Equal(1, connection.Connects);
        }

        data.Delete();
    }

    [Fact]
    public async Task AnHttpServerAnswersWhileItRunsAndNotOnceItHasStopped()
    {
        var server = await HttpPlugin.StartAsync(BuiltPlugins.Policy);
        var stopped = false;
        try
        {
            await using var h = new McpHarness(realServers: new Dictionary<string, string?> { ["Mcp:Servers:policy:Url"] = server.McpUri.ToString() });
            await h.ToolAsync("check_refund", server: "policy");
            var connection = h.Catalog.Connection("policy");
            var answered = await connection.CheckLivenessAsync(Wait);
            Assert.True(answered is null, answered);

            await server.DisposeAsync();
            stopped = true;

            Assert.NotNull(await connection.CheckLivenessAsync(Wait));
        }
        finally
        {
            if (!stopped)
            {
                await server.DisposeAsync();
            }
        }
    }
}
