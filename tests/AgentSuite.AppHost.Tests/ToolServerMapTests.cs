// GetEnvironmentVariableValuesAsync and GetArgumentValuesAsync read the publisher's view of a resource without starting
// anything; their replacement (ExecutionConfigurationBuilder) wants an execution context these tests have no use for.
#pragma warning disable CS0618

using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.AppHost.Tests;

/// <summary>
/// The AppHost's map of tool servers is plugins/toolservers.json (no process starts): each http entry its own resource on
/// its fixed port that the Api reaches by URL, each stdio entry a child the Api starts, entries added by configuration
/// alike, and a bad entry stops the AppHost with a message naming its key.
/// </summary>
public sealed class ToolServerMapTests
{
    private static readonly string DataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-apphost-map");

    [Fact]
    public async Task EachListedServerIsAResourceOnItsFixedPortOrAChildOfTheApi()
    {
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>([$"AgentSuite:DataFolder={DataFolder}"]);
        var api = await Environment(appHost, "api");

        Assert.NotEmpty(ToolServersFile.Names);
        foreach (var server in ToolServersFile.HttpServers)
        {
            var resource = appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == server.Name);
            Assert.Equal(server.HttpPort, resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
            Assert.Equal(["--http", "--data", Path.Combine(DataFolder, server.Name + ".db")], await resource.GetArgumentValuesAsync(DistributedApplicationOperation.Publish));
            Assert.Equal($"{{{server.Name}.bindings.http.url}}/mcp", api[$"Mcp__Servers__{server.Name}__Url"]);
        }

        foreach (var server in ToolServersFile.Servers.Where(s => s.Stdio))
        {
            Assert.DoesNotContain(appHost.Resources, r => r.Name == server.Name);
            Assert.True(api.ContainsKey($"Mcp__Servers__{server.Name}__Command"), $"the Api is not told to start {server.Name}");
        }
    }

    [Fact]
    public async Task EntriesAddedOrChangedByConfigurationBecomeResourcesOrChildrenOfTheApi()
    {
        var (copied, child) = (ToolServersFile.HttpServers[0], ToolServersFile.HttpServers[^1]);
        var copiedProject = ToolServersFile.Servers.Single(s => s.Name == copied.Name).Project;
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentSuite_AppHost>(
        [
            $"AgentSuite:DataFolder={DataFolder}",
            $"ToolServers:second-{copied.Name}:Project={copiedProject}",
            $"ToolServers:second-{copied.Name}:HttpPort=5197",
            $"ToolServers:{child.Name}:Transport=stdio",
            "ToolServers:notes:Command=npx",
            "ToolServers:notes:Arguments:0=-y",
            "ToolServers:notes:Arguments:1=some-notes-mcp-server",
            "ToolServers:notes:Environment:NOTES_FOLDER=/tmp/notes",
        ]);
        var api = await Environment(appHost, "api");

        var second = appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == $"second-{copied.Name}");
        Assert.Equal(5197, second.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
        Assert.Equal($"{{second-{copied.Name}.bindings.http.url}}/mcp", api[$"Mcp__Servers__second-{copied.Name}__Url"]);

        // A project switched to stdio is no resource of its own: the Api starts its built dll on its data file.
        Assert.DoesNotContain(appHost.Resources, r => r.Name == child.Name);
        Assert.Equal("dotnet", api[$"Mcp__Servers__{child.Name}__Command"]);
        Assert.EndsWith($"{child.Assembly}.dll", api[$"Mcp__Servers__{child.Name}__Arguments__0"], StringComparison.Ordinal);
        Assert.True(File.Exists(api[$"Mcp__Servers__{child.Name}__Arguments__0"]));
        Assert.Equal(("--data", Path.Combine(DataFolder, child.Name + ".db")), (api[$"Mcp__Servers__{child.Name}__Arguments__1"], api[$"Mcp__Servers__{child.Name}__Arguments__2"]));
        Assert.Equal(child.Assembly, api[$"Mcp__Servers__{child.Name}__Environment__OTEL_SERVICE_NAME"]);

        // Any stdio MCP server: the command as given.
        Assert.DoesNotContain(appHost.Resources, r => r.Name == "notes");
        Assert.Equal(("npx", "-y", "some-notes-mcp-server", "/tmp/notes"),
            (api["Mcp__Servers__notes__Command"], api["Mcp__Servers__notes__Arguments__0"], api["Mcp__Servers__notes__Arguments__1"], api["Mcp__Servers__notes__Environment__NOTES_FOLDER"]));
    }

    [Theory]
    [InlineData("ToolServers:notes:Command=npx", "ToolServers:notes:Transport=http", "ToolServers:notes:Transport is http, but a Command is served over stdio only")]
    [InlineData("ToolServers:second:Project=Nowhere.McpServer/Nowhere.McpServer.csproj", "ToolServers:second:HttpPort=5197", "ToolServers:second:Project is Nowhere.McpServer/Nowhere.McpServer.csproj, but there is no such file in ")]
    [InlineData("ToolServers:api:Command=npx", "ToolServers:api:Arguments:0=x", "ToolServers:api: the AppHost already has a resource or parameter named api")]
    [InlineData("ToolServers:postgres-connection:Command=npx", "ToolServers:postgres-connection:Arguments:0=x", "ToolServers:postgres-connection: the AppHost already has a resource or parameter named postgres-connection")]
    [InlineData("ToolServers:model-api-key:Command=npx", "ToolServers:model-api-key:Arguments:0=x", "ToolServers:model-api-key: the AppHost already has a resource or parameter named model-api-key")]
    [InlineData("ToolServers:billing-agent-auditor-key:Command=npx", "ToolServers:billing-agent-auditor-key:Arguments:0=x", "ToolServers:billing-agent-auditor-key: the AppHost already has a resource or parameter")]
    [InlineData("ToolServers:order_history:Command=npx", "ToolServers:order_history:Transport=http", "ToolServers:order_history:Transport is http, but a Command")]
    [InlineData("ToolServers:Notes:Command=npx", "ToolServers:Notes:Arguments:0=x", "ToolServers:Notes: a server name is lower-case letters and digits")]
    public async Task ABadEntryStopsTheAppHostWithAMessageNamingItsKey(string setting, string other, string message)
    {
        await AssertRefusedAsync([$"--{setting}", $"--{other}"], message);
    }

    [Fact]
    public async Task AnHttpEntryWithAnUnderscoreInItsNameStopsTheAppHostSinceAspireRefusesThatResourceName()
    {
        var listed = ToolServersFile.Servers.First(s => s.Project is not null);

        await AssertRefusedAsync(
            [$"--ToolServers:order_history:Project={listed.Project}", "--ToolServers:order_history:HttpPort=5197"],
            "ToolServers:order_history: an http entry is an AppHost resource, and Aspire allows no '_' in a resource name: use '-'");
    }

    [Fact]
    public async Task TwoHttpEntriesOnOnePortStopTheAppHostNamingBoth()
    {
        var listed = ToolServersFile.HttpServers[0];
        var project = ToolServersFile.Servers.Single(s => s.Name == listed.Name).Project;

        await AssertRefusedAsync(
            [$"--ToolServers:twin:Project={project}", $"--ToolServers:twin:HttpPort={listed.HttpPort}"],
            $"ToolServers:{listed.Name}:HttpPort and ToolServers:twin:HttpPort share the port {listed.HttpPort}: give each http server its own");
    }

    [Fact]
    public async Task AListThatIsNotJsonStopsTheAppHostNamingTheFileAndTheParsersMessage()
    {
        var plugins = Path.Combine(Path.GetTempPath(), "agentsuite-apphost-bad-list", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(plugins);
        try
        {
            var list = Path.Combine(plugins, "toolservers.json");
            await File.WriteAllTextAsync(list, "{ \"ToolServers\": { \"billing\": { \"Project\" } } }");

            await AssertRefusedAsync([$"--AgentSuite:PluginsFolder={plugins}"], $"The list of tool servers, {list}, could not be read: ", "LineNumber: 0 | BytePositionInLine: ");
        }
        finally
        {
            Directory.Delete(plugins, recursive: true);
        }
    }

    /// <summary>Runs the built AppHost as dotnet run runs it: the list is read before anything starts, so it exits at once.</summary>
    private static async Task AssertRefusedAsync(string[] arguments, params string[] messages)
    {
        var appHost = Path.Combine(AppContext.BaseDirectory, "AgentSuite.AppHost.dll");

        var run = await CommandRun.RunAsync("dotnet", [appHost, .. arguments], AppContext.BaseDirectory, TimeSpan.FromMinutes(1));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("The AppHost did not start: ", run.Error, StringComparison.Ordinal);
        Assert.All(messages, m => Assert.Contains(m, run.Error, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> Environment(IDistributedApplicationTestingBuilder appHost, string name) =>
        await appHost.Resources.OfType<ProjectResource>().Single(r => r.Name == name).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
}
