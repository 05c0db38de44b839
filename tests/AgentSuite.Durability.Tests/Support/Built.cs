using System.Reflection;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>Where this test project's build put the programs the tests run, and the repository they came from.</summary>
public static class Built
{
    public static string Api => Helper("AgentSuite.Api");

    public static string MockModelServer => Helper("AgentSuite.MockModelServer");

    public static string PolicyServer => ToolServer("Policy.McpServer");

    public static string CommitThenHangServer => Helper("AgentSuite.TestPlugins.CommitThenHang");

    /// <summary>The durability tests' mock script (no idempotency key on the refund).</summary>
    public static string Script => Path.Combine(AppContext.BaseDirectory, "Scripts", "durability.yaml");

    /// <summary>The cluster tests' mock script: the durability script's refund, and an invoice question answered with one read-only call.</summary>
    public static string ClusterScript => Path.Combine(AppContext.BaseDirectory, "Scripts", "cluster.yaml");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A tool server project's dll, by its assembly name (every project under plugins/ is built with the tests).</summary>
    public static string ToolServer(string assembly) => Helper(assembly);

    private static string Helper(string name)
    {
        var path = typeof(Built).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "helper:" + name)?.Value
            ?? throw new InvalidOperationException($"The test project did not record where {name} was built.");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} is not built at {path}; build tests/AgentSuite.Durability.Tests.", path);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentSuite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AgentSuite.sln above {AppContext.BaseDirectory}.");
    }
}
