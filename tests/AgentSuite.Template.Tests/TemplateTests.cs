using System.Text.Json;
using System.Text.RegularExpressions;
using AgentSuite.Template.Tests.Support;

namespace AgentSuite.Template.Tests;

/// <summary>dotnet new agentsuite -n Contoso.Desk, with and without the sample, as a new user runs it.</summary>
public sealed partial class TemplateTests(GeneratedSolutions generated) : IClassFixture<GeneratedSolutions>
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
    public void TheRenamedConfigurationSectionIsTheOneTheCodeBinds()
    {
        // "AgentSuite" as a section name becomes "ContosoDesk", but a bare "AgentSuite." form would become
        // "Contoso.Desk", a section no appsettings.json has: the settings would silently not bind.
        foreach (var root in new[] { generated.Full, generated.Blank })
        {
            var settings = File.ReadAllText(Path.Combine(root, "src", "Contoso.Desk.Api", "appsettings.json"));
            Assert.Contains("\"ContosoDesk\": {", settings, StringComparison.Ordinal);
            var api = File.ReadAllText(Path.Combine(root, "src", "Contoso.Desk.Api", "ApiApplication.cs"));
            Assert.Contains("GetSection(\"ContosoDesk\")", api, StringComparison.Ordinal);
            var bare = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(p => !Path.GetRelativePath(root, p).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .SelectMany(p => File.ReadLines(p).Select((line, i) => (Path: p, Number: i + 1, Line: line)))
                .Where(l => DottedSectionName().IsMatch(l.Line))
                .Select(l => $"{Path.GetRelativePath(root, l.Path)}:{l.Number}: {l.Line.Trim()}")
                .ToList();
            Assert.True(bare.Count == 0, $"{root}: configuration read under \"Contoso.Desk\":\n{string.Join('\n', bare)}");
        }
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
        Assert.True(list.RootElement.GetProperty("ToolServers").TryGetProperty("shipping", out var shipping), list.RootElement.ToString());

        // Its port is one free from 5110 to 5199 (the sample's servers take 5101 to 5104), the same in the list and its Program.cs.
        var port = shipping.GetProperty("HttpPort").GetInt32();
        Assert.InRange(port, 5110, 5199);
        var program = File.ReadAllText(Path.Combine(generated.Blank, "plugins", "Shipping.McpServer", "Program.cs"));
        Assert.Contains($"defaultPort: {port}", program, StringComparison.Ordinal);
        Assert.NotNull(generated.PluginTest);
        Assert.True(generated.PluginTest.Succeeded, generated.PluginTest.Describe());
    }

    /// <summary>A section name, Bind or configuration key that starts with the dotted product name.</summary>
    [GeneratedRegex(@"(?:GetSection|GetRequiredSection|BindConfiguration|Bind)\(\s*""Contoso\.Desk[:""]|[Cc]onfiguration\[\s*""Contoso\.Desk[:""]")]
    private static partial Regex DottedSectionName();
}
