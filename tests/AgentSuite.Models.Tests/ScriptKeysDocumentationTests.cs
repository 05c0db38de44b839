namespace AgentSuite.Models.Tests;

public sealed class ScriptKeysDocumentationTests
{
    [Fact]
    public void EveryKeyTheLoaderAcceptsIsInTheGuidesKeyTable()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "mock-model.md"));

        var keys = MockScriptReader.RootKeys.Concat(MockScriptReader.RuleKeys).Concat(MockScriptReader.StepKeys).Concat(MockScriptReader.CallKeys).Distinct();

        Assert.All(keys, key => Assert.Contains($"| `{key}` |", guide, StringComparison.Ordinal));
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
}
