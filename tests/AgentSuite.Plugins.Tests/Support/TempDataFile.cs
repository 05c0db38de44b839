namespace AgentSuite.Plugins.Tests.Support;

/// <summary>A fresh SQLite path in the temp folder; deleting removes the WAL and shared-memory files too.</summary>
public sealed class TempDataFile
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentsuite-plugins", $"{Guid.NewGuid():N}.db");

    public void Delete()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
                // A process that has just been killed may hold the file a moment longer; the temp folder is cleaned eventually.
            }
        }
    }
}
