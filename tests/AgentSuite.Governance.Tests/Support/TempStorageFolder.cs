using Microsoft.Data.Sqlite;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>A fresh folder for a test's SQLite files, removed with them (pooled connections let go first) on dispose.</summary>
public sealed class TempStorageFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The connection string of <paramref name="file"/> in this folder.</summary>
    public string ConnectionString(string file) => $"Data Source={System.IO.Path.Combine(Path, file)}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
