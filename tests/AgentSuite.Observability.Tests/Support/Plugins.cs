using System.Reflection;

namespace AgentSuite.Observability.Tests.Support;

/// <summary>Where the build put each plugin's dll (recorded by the test project at build time), and fresh data files for them.</summary>
public static class Plugins
{
    public const string Billing = "Billing.McpServer";
    public const string Crm = "Crm.McpServer";
    public const string Policy = "Policy.McpServer";

    public static string DllPath(string plugin)
    {
        var path = typeof(Plugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "plugin:" + plugin)?.Value
            ?? throw new InvalidOperationException($"The test project did not record where {plugin} was built; is it a ProjectReference with OutputItemType=\"PluginAssembly\"?");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{plugin} is not built at {path}; build the solution first.", path);
    }

    /// <summary>A folder in the temp folder for plugin data files; delete it when done.</summary>
    public static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentsuite-observability", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void DeleteDataFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A plugin process that is still exiting may hold its file a moment longer; the temp folder is cleaned eventually.
        }
    }
}
