using System.Text.RegularExpressions;
using AgentSuite.Models.Tests.Support;

namespace AgentSuite.Models.Tests;

public sealed partial class DocumentationTests
{
    [Fact]
    public async Task ExampleScriptInTheGuideLoadsAndRuns()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "mock-model.md"));
        var yaml = YamlBlock().Match(guide).Groups[1].Value;

        var client = new MockChatClient(MockScript.Parse(yaml, "mock-model.md"));
        var response = await client.AskAsync(Chat.For("support"), Chat.User("hello"));

        Assert.Equal(["billing", "*"], client.Script.Agents);
        Assert.Equal("Hello, this is the support agent.", response.Text);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentSuite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No AgentSuite.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
