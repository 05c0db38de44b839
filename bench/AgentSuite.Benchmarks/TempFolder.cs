using Microsoft.Data.Sqlite;

namespace AgentSuite.Benchmarks;

/// <summary>A fresh folder on the real disk for the benchmark's SQLite files, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentsuite-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A connection string for a new SQLite file in this folder.</summary>
    public string NewDatabase(string name) => $"Data Source={NewFile(name)}";

    /// <summary>The path of a new SQLite file in this folder (for a plugin server's <c>--data</c>).</summary>
    public string NewFile(string name) => System.IO.Path.Combine(Path, name + ".db");

    /// <summary>A new, empty subfolder (an Api's data folder).</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection; the temp folder is the OS's to clean.
        }
    }
}
