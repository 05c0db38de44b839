using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Mcp.ToolServers;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Api.Tests;

/// <summary>
/// The Api's embedded defaults are the one list of tool servers (plugins/toolservers.json, any setting over it): whatever
/// it names is started and shown, the start-up log names what was found, and a bad entry stops the start naming its key.
/// </summary>
public sealed class ToolServerListApiTests
{
    private static IReadOnlyList<ToolServer> Listed { get; } =
        ToolServerList.Read(new ConfigurationBuilder().AddJsonFile(ToolServersFile.Path).Build());

    [Fact]
    public async Task ServersAddedToTheListAreStartedShownByStatusAndNamedInTheStartupLogWithoutACodeChange()
    {
        // A second copy of a listed project under another name, and the same server as a plain stdio Command entry.
        var original = Listed.First(s => s.Project is not null);
        var (copy, command) = ($"copy-of-{original.Name}", $"command-{original.Name}");
        var dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-api-tests", Guid.NewGuid().ToString("N"));
        var settings = DeskKeys.Settings();
        settings["Mcp:StatusInterval"] = "00:00:00.200";
        settings["Logging:LogLevel:AgentSuite.Api"] = "Information";
        settings[$"ToolServers:{copy}:Project"] = original.Project;
        settings[$"ToolServers:{copy}:HttpPort"] = "5199";
        settings[$"ToolServers:{command}:Command"] = "dotnet";
        settings[$"ToolServers:{command}:Arguments:0"] = BuiltToolServers.DllPath(typeof(ApiApplication).Assembly, original);
        settings[$"ToolServers:{command}:Arguments:1"] = "--data";
        settings[$"ToolServers:{command}:Arguments:2"] = Path.Combine(dataFolder, command + ".db");
        var logs = new CapturingLoggerProvider();

        await using var api = await ApiServer.StartAsync(settings, builder => builder.Logging.AddProvider(logs), dataFolder: dataFolder);
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        string[] expected = [.. Listed.Select(s => s.Name), copy, command];
        var status = await StatusPolling.UntilAsync("/api/status", () => ops.GetJsonAsync("/api/status"),
            s => expected.All(name => Servers(s).TryGetValue(name, out var server) && server.GetProperty("state").GetString() == "live"));

        var servers = Servers(status);
        Assert.Equal(expected.Order(StringComparer.Ordinal), servers.Keys.Order(StringComparer.Ordinal));
        var originalTools = Tools(servers[original.Name]).Select(t => t[(original.Name.Length + 1)..]).ToList();
        Assert.NotEmpty(originalTools);
        Assert.Equal(originalTools.Select(t => $"{copy}/{t}"), Tools(servers[copy]));
        Assert.Equal(originalTools.Select(t => $"{command}/{t}"), Tools(servers[command]));
        Assert.True(File.Exists(Path.Combine(dataFolder, copy + ".db")), "the copy runs on its own data file, named after it");

        var found = Assert.Single(logs.Lines, l => l.Contains("MCP servers: ", StringComparison.Ordinal));
        Assert.Contains($"MCP servers: {string.Join(", ", expected.Order(StringComparer.OrdinalIgnoreCase))} over stdio (embedded defaults from ToolServers: {EmbeddedPlugins.ListPath}", found, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> BadEntries() => new()
    {
        { ["ToolServers:broken:HttpPort=5198"], "ToolServers:broken: set exactly one of Project (a .NET MCP server project, relative to the plugins folder) or Command" },
        { ["ToolServers:broken:Project=X.McpServer/X.McpServer.csproj", "ToolServers:broken:Command=npx"], "ToolServers:broken: set exactly one of Project" },
        { ["ToolServers:broken:Project=X.McpServer/X.McpServer.csproj"], "ToolServers:broken:HttpPort is missing: give the fixed port the AppHost serves it on" },
        { ["ToolServers:Broken:Command=npx"], "ToolServers:Broken: a server name is lower-case letters and digits" },
        { ["ToolServers:broken:Project=Nowhere.McpServer/Nowhere.McpServer.csproj", "ToolServers:broken:HttpPort=5198"], "ToolServers:broken:Project is Nowhere.McpServer/Nowhere.McpServer.csproj, but AgentSuite.Api was not built with it" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task ABadEntryStopsTheStartWithAMessageNamingItsKey(string[] entry, string message)
    {
        await AssertRefusedAsync(entry.Select(e => e.Split('=', 2)).ToDictionary(e => e[0], string? (e) => e[1]), message);
    }

    [Fact]
    public async Task AnUnknownTransportOrACommandOverHttpStopsTheStartNamingTheKey()
    {
        var listed = Listed.First(s => s.Project is not null);
        await AssertRefusedAsync(
            new Dictionary<string, string?>
            {
                [$"ToolServers:{listed.Name}:Transport"] = "carrier-pigeon",
                ["ToolServers:npx-server:Command"] = "npx",
                ["ToolServers:npx-server:Transport"] = "http",
            },
            $"ToolServers:{listed.Name}:Transport is 'carrier-pigeon': use http (its own resource under the AppHost) or stdio (a child of the Api).",
            "ToolServers:npx-server:Transport is http, but a Command is served over stdio only");
    }

    [Fact]
    public async Task AListThatIsNotJsonStopsTheStartNamingTheFileAndTheParsersMessage()
    {
        // The built Api from a folder of its own whose toolservers.json is broken: its dll copied (the runtime places the
        // app where its dll really is), everything else linked.
        var built = Path.GetDirectoryName(typeof(ApiApplication).Assembly.Location)!;
        var folder = StdioApi.NewDataFolder();
        try
        {
            string[] copied = ["AgentSuite.Api.dll", "AgentSuite.Api.deps.json", "AgentSuite.Api.runtimeconfig.json"];
            foreach (var entry in Directory.EnumerateFileSystemEntries(built))
            {
                var name = Path.GetFileName(entry);
                var target = Path.Combine(folder, name);
                if (copied.Contains(name, StringComparer.Ordinal))
                {
                    File.Copy(entry, target);
                }
                else if (Directory.Exists(entry))
                {
                    Directory.CreateSymbolicLink(target, entry);
                }
                else if (name != ToolServerList.FileName)
                {
                    File.CreateSymbolicLink(target, entry);
                }
            }

            var list = Path.Combine(folder, ToolServerList.FileName);
            await File.WriteAllTextAsync(list, "{ \"ToolServers\": { \"billing\": { \"Project\" } } }");
            string[] arguments = [Path.Combine(folder, "AgentSuite.Api.dll"), "--urls=http://127.0.0.1:0", $"--AgentSuite:DataFolder={Path.Combine(folder, "data")}"];

            var run = await CommandRun.RunAsync("dotnet", arguments, StdioApi.ContentRoot, Timeouts.Start);

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith($"AgentSuite.Api did not start: The list of tool servers, {list}, could not be read: ", run.Error, StringComparison.Ordinal);
            Assert.Contains("LineNumber: 0 | BytePositionInLine: ", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the built Api with <paramref name="settings"/>: it exits with 2 and the messages on stderr, and no stack trace.</summary>
    private static async Task AssertRefusedAsync(Dictionary<string, string?> settings, params string[] messages)
    {
        var dataFolder = StdioApi.NewDataFolder();
        try
        {
            string[] arguments = [typeof(ApiApplication).Assembly.Location, "--urls=http://127.0.0.1:0", $"--AgentSuite:DataFolder={dataFolder}", .. settings.Select(s => $"--{s.Key}={s.Value}")];
            var run = await CommandRun.RunAsync("dotnet", arguments, StdioApi.ContentRoot, Timeouts.Start);

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("AgentSuite.Api did not start: ", run.Error, StringComparison.Ordinal);
            Assert.All(messages, m => Assert.Contains(m, run.Error, StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    private static Dictionary<string, JsonElement> Servers(JsonElement status) =>
        status.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);

    private static List<string> Tools(JsonElement server) =>
        server.GetProperty("tools").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToList();
}
