namespace AgentSuite.Benchmarks;

/// <summary>The repository the benchmark runs from, so the turn benchmark uses the prompts/ agents a forker starts with.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AgentSuite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (AgentSuite.sln) was not found above the benchmark's output folder.");
    }
}
