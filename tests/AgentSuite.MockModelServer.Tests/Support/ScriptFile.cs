namespace AgentSuite.MockModelServer.Tests.Support;

/// <summary>A mock script written to a temp file for a server to load, deleted when disposed.</summary>
public sealed class ScriptFile : IDisposable
{
    public ScriptFile(string yaml)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"agentsuite-script-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(Path, yaml);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
