using System.Reflection;

namespace AgentSuite.Benchmarks;

/// <summary>Where the build put each plugin server's dll (recorded by this project at build time, Debug or Release).</summary>
internal static class BuiltPlugins
{
    public const string Billing = "Billing.McpServer";
    public const string Crm = "Crm.McpServer";
    public const string Policy = "Policy.McpServer";

    public static string DllPath(string plugin)
    {
        var path = typeof(BuiltPlugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "plugin:" + plugin)?.Value
            ?? throw new InvalidOperationException($"The benchmark project did not record where {plugin} was built; is it a ProjectReference with OutputItemType=\"PluginAssembly\"?");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{plugin} is not built at {path}; run the benchmark with dotnet run, which builds it.", path);
    }
}
