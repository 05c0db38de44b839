namespace AgentSuite.Observability.Tests.Support;

/// <summary>Fresh data folders for the plugins a test starts (their dlls: <c>BuiltPlugins</c>).</summary>
public static class PluginData
{
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
