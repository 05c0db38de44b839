using System.Text.Json;
using System.Text.RegularExpressions;
using AgentSuite.Api;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Hosting.Tests.Support;
using AgentSuite.Mcp.ToolServers;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace AgentSuite.Hosting.Tests;

/// <summary>
/// plugins/toolservers.json is the one list of tool servers: every project under plugins/ is in it, and the built Api,
/// run as a person runs it, takes it as its lowest configuration source, so environment variables change or add entries.
/// </summary>
public sealed class ToolServerListHostingTests : IDisposable
{
    private static readonly string PluginsFolder = Path.Combine(ApiServer.RepositoryRoot, "plugins");

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "agentsuite-hosting-tests", Guid.NewGuid().ToString("N"));

    private static IReadOnlyList<ToolServer> Listed { get; } =
        ToolServerList.Read(new ConfigurationBuilder().AddJsonFile(ToolServersFile.Path).Build());

    [Fact]
    public void EveryProjectUnderPluginsIsListedAndEveryListedProjectExists()
    {
        var onDisk = Directory.EnumerateFiles(PluginsFolder, "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(PluginsFolder, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(part => part is "bin" or "obj"))
            .ToHashSet(StringComparer.Ordinal);
        var listed = Listed.Where(s => s.Project is not null).Select(s => s.Project!.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);

        var unlisted = onDisk.Except(listed).Order(StringComparer.Ordinal).ToList();
        Assert.True(unlisted.Count == 0, $"plugins/{ToolServerList.FileName} does not list {string.Join(", ", unlisted)}, so no host starts it: add an entry (docs/tool-servers.md).");
        var missing = listed.Except(onDisk).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"plugins/{ToolServerList.FileName} lists {string.Join(", ", missing)}, which does not exist.");
        Assert.All(onDisk, p => Assert.Matches("^[^/]+/[^/]+\\.csproj$", p));
    }

    [Fact]
    public async Task EnvironmentVariablesChangeAnEntryOfTheListAndAddAnother()
    {
        // One listed project turned into a Command entry (its Project emptied) on a data file of another name, and a
        // second copy of a listed project added under a new name: both as environment variables, as a host sets them.
        var changed = Listed.Last(s => s.Project is not null);
        var copied = Listed.First(s => s.Project is not null);
        var added = $"second-{copied.Name}";
        var changedData = Path.Combine(_dataFolder, $"{changed.Name}-by-command.db");
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var variables = new Dictionary<string, string?>
        {
            ["AgentSuite__DataFolder"] = _dataFolder,
            ["ASPNETCORE_URLS"] = url,
            ["Mcp__StatusInterval"] = "00:00:00.200",
            ["Logging__LogLevel__AgentSuite.Api"] = "Information",
            [$"ToolServers__{changed.Name}__Project"] = "",
            [$"ToolServers__{changed.Name}__HttpPort"] = "",
            [$"ToolServers__{changed.Name}__Command"] = "dotnet",
            [$"ToolServers__{changed.Name}__Arguments__0"] = BuiltToolServers.DllPath(typeof(ApiApplication).Assembly, changed),
            [$"ToolServers__{changed.Name}__Arguments__1"] = "--data",
            [$"ToolServers__{changed.Name}__Arguments__2"] = changedData,
            [$"ToolServers__{added}__Project"] = copied.Project,
            [$"ToolServers__{added}__HttpPort"] = "5196",
        };

        using var api = await ApiProcess.StartListeningAsync(new Uri(url), variables);
        using var ops = api.Client("ops");
        string[] expected = [.. Listed.Select(s => s.Name), added];
        var deadline = DateTime.UtcNow + Timeouts.Start;
        Dictionary<string, string?> states;
        while (true)
        {
            states = (await ops.GetJsonAsync("/api/status")).GetProperty("servers").EnumerateArray()
                .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("state").GetString());
            if (expected.All(name => states.GetValueOrDefault(name) == "live") || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), states.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, name => Assert.Equal((name, "live"), (name, states[name])));
        Assert.True(File.Exists(changedData), $"{changed.Name} runs as the Command the environment gave it");
        Assert.False(File.Exists(Path.Combine(_dataFolder, changed.Name + ".db")), $"{changed.Name} does not also run as its listed Project");
        Assert.True(File.Exists(Path.Combine(_dataFolder, added + ".db")), $"{added} runs on its own data file");
        await api.WaitForOutputAsync(new Regex(
            $@"MCP servers: {Regex.Escape(string.Join(", ", expected.Order(StringComparer.OrdinalIgnoreCase)))} over stdio \(embedded defaults from ToolServers: .*{Regex.Escape(ToolServerList.FileName)}"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A tool server that is still exiting may hold its file a moment longer; the temp folder is cleaned eventually.
        }
    }
}
