using System.Reflection;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Where the build put src/AgentSuite.Api (recorded by this project at build time, Debug or Release), and the folder it
/// runs from: its content root, so its appsettings.json (the sample domain's governance policy) is the one loaded.
/// </summary>
internal static class BuiltApi
{
    public static string ContentRoot { get; } = Path.Combine(RepositoryRoot.Path, "src", "AgentSuite.Api");

    public static string PromptsFolder { get; } = Path.Combine(RepositoryRoot.Path, "prompts");

    public static string DllPath()
    {
        var path = typeof(BuiltApi).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "api:AgentSuite.Api")?.Value
            ?? throw new InvalidOperationException("The benchmark project did not record where AgentSuite.Api was built; is it a ProjectReference with OutputItemType=\"ApiAssembly\"?");
        return File.Exists(path) ? path : throw new FileNotFoundException($"AgentSuite.Api is not built at {path}; run the benchmark with dotnet run, which builds it.", path);
    }
}
