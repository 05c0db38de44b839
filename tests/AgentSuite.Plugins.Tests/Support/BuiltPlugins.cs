using System.Reflection;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>Where the build put each plugin's dll (recorded by the test project at build time).</summary>
public static class BuiltPlugins
{
    public const string Billing = "Billing.McpServer";
    public const string Crm = "Crm.McpServer";
    public const string Policy = "Policy.McpServer";

    public static string DllPath(string plugin)
    {
        var path = typeof(BuiltPlugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "plugin:" + plugin)?.Value
            ?? throw new InvalidOperationException($"The test project did not record where {plugin} was built; is it a ProjectReference with OutputItemType=\"PluginAssembly\"?");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{plugin} is not built at {path}; build the solution first.", path);
    }
}
