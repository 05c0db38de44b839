using System.Text.Json;
using AgentSuite.Template.Tests.Support;

namespace AgentSuite.Template.Tests;

/// <summary>dotnet new agentsuite -n Contoso.Desk, with and without the sample, as a new user runs it.</summary>
public sealed class TemplateTests(GeneratedSolutions generated) : IClassFixture<GeneratedSolutions>
{
    [Fact]
    public void FullSolutionBuilds() => Assert.True(generated.FullBuild.Succeeded, generated.FullBuild.Describe());

    [Fact]
    public void NoSampleSolutionBuildsAndPassesItsTests()
    {
        Assert.True(generated.BlankBuild.Succeeded, generated.BlankBuild.Describe());
        Assert.NotNull(generated.BlankTest);
        Assert.True(generated.BlankTest.Succeeded, generated.BlankTest.Describe());
        Assert.Contains("Contoso.Desk.EndToEnd.Tests", generated.BlankTest.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void NoProductNameIsLeftInEitherSolution()
    {
        Assert.True(generated.FullLeftovers.Count == 0, "Left in the full solution:\n" + string.Join('\n', generated.FullLeftovers.Take(50)));
        Assert.True(generated.BlankLeftovers.Count == 0, "Left in the no-sample solution:\n" + string.Join('\n', generated.BlankLeftovers.Take(50)));
    }

    [Fact]
    public void EachSolutionListsExactlyTheProjectsItsTreeHolds()
    {
        foreach (var root in new[] { generated.Full, generated.Blank })
        {
            var listed = SolutionFile.Projects(Path.Combine(root, GeneratedSolutions.Name + ".sln"));
            var onDisk = SolutionFile.ProjectsOnDisk(root);
            Assert.True(listed.SetEquals(onDisk),
                $"{root}: listed but missing: {string.Join(", ", listed.Except(onDisk))}; on disk but not listed: {string.Join(", ", onDisk.Except(listed))}");
        }
    }

    [Fact]
    public void RenamedFormsFollowTheName()
    {
        var api = File.ReadAllText(Path.Combine(generated.Full, "src", "Contoso.Desk.Api", "ApiApplication.cs"));
        Assert.Contains("GetSection(\"ContosoDesk\")", api, StringComparison.Ordinal);
        var settings = File.ReadAllText(Path.Combine(generated.Full, "src", "Contoso.Desk.Api", "appsettings.json"));
        Assert.Contains("\"ContosoDesk\": {", settings, StringComparison.Ordinal);
        var appHost = File.ReadAllText(Path.Combine(generated.Full, "AppHost", "AppHost.cs"));
        Assert.Contains("Projects.Contoso_Desk_Api", appHost, StringComparison.Ordinal);
        var page = File.ReadAllText(Path.Combine(generated.Full, "src", "Contoso.Desk.Api", "wwwroot", "index.html"));
        Assert.Contains("<title>Contoso.Desk</title>", page, StringComparison.Ordinal);
        var cli = string.Concat(Directory.GetFiles(Path.Combine(generated.Full, "src", "Contoso.Desk.Cli"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("CONTOSO_DESK_URL", cli, StringComparison.Ordinal);
        Assert.Contains("contoso-desk ", cli, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSampleSolutionHoldsOneExampleAgentAndToolServer()
    {
        var prompts = Directory.GetFiles(Path.Combine(generated.Blank, "prompts")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["coordinator.yaml", "example.yaml"], prompts);
        var servers = Directory.GetDirectories(Path.Combine(generated.Blank, "plugins")).Select(Path.GetFileName).ToList();
        Assert.Contains("Example.McpServer", servers);
        Assert.DoesNotContain("Billing.McpServer", servers);
        using var list = JsonDocument.Parse(generated.BlankToolServers);
        Assert.Equal(["example"], list.RootElement.GetProperty("ToolServers").EnumerateObject().Select(p => p.Name));
        var settings = File.ReadAllText(Path.Combine(generated.Blank, "src", "Contoso.Desk.Api", "appsettings.json"));
        Assert.DoesNotContain("billing", settings, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"example\": { \"Allow\": [ \"example/*\" ] }", settings, StringComparison.Ordinal);
    }

    [Fact]
    public void ItemTemplateAddsAToolServerThatIsListedAndPassesItsTest()
    {
        Assert.True(GeneratedSolutions.HasPluginTemplate, "templates/plugin (the agentsuite-plugin item template) is missing.");
        Assert.NotNull(generated.PluginNew);
        Assert.True(generated.PluginNew.Succeeded, generated.PluginNew.Describe());
        Assert.Contains("plugins/Shipping.McpServer/Shipping.McpServer.csproj", SolutionFile.Projects(Path.Combine(generated.Blank, GeneratedSolutions.Name + ".sln")));
        using var list = JsonDocument.Parse(File.ReadAllText(Path.Combine(generated.Blank, "plugins", "toolservers.json")));
        Assert.True(list.RootElement.GetProperty("ToolServers").TryGetProperty("shipping", out _), list.RootElement.ToString());
        Assert.NotNull(generated.PluginTest);
        Assert.True(generated.PluginTest.Succeeded, generated.PluginTest.Describe());
    }
}
