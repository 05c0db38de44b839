namespace AgentSuite.Agents.Tests;

/// <summary>The repository these tests run from, so they exercise the prompts/ a forker starts with.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentSuite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (AgentSuite.sln) was not found above the test output.");
    }
}
