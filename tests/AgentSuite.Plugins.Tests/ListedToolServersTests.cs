using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Plugins.Tests;

/// <summary>
/// Every tool server project of plugins/toolservers.json keeps the contract the hosts rely on: over stdio with
/// <c>--data FILE</c> (the Api's child) and over Streamable HTTP with <c>--http</c> (the AppHost's resource) it lists the
/// same tools, each with its annotations, and answers /health. A project added to the list is tested here unchanged.
/// </summary>
public sealed class ListedToolServersTests
{
    public static TheoryData<string, string> ListedProjects()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, assembly) in ToolServersFile.Projects)
        {
            data.Add(name, assembly);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ListedProjects))]
    public async Task EachListedProjectServesTheSameAnnotatedToolsOverStdioAndHttp(string name, string assembly)
    {
        await using var stdio = await StdioPlugin.StartAsync(assembly);
        var overStdio = await stdio.Client.ListToolsAsync();
        await using var http = await HttpPlugin.StartAsync(assembly);
        await using var client = await http.ConnectAsync();
        var overHttp = await client.ListToolsAsync();
        using var health = await http.Http.GetAsync(new Uri(http.BaseUri, "/health"));

        Assert.True(overStdio.Count > 0, $"{name} ({assembly}) serves no tools");
        Assert.All(overStdio, t => Assert.True(t.ProtocolTool.Annotations is not null, $"{name}/{t.Name} declares no annotations (ReadOnly, Destructive, Idempotent, OpenWorld)"));
        Assert.Equal(overStdio.Select(t => t.Name).Order(StringComparer.Ordinal), overHttp.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.True(health.IsSuccessStatusCode, $"{name} answers /health with {(int)health.StatusCode}");
    }
}
