namespace AgentSuite.AppHost.Tests.Support;

/// <summary>A live process carrying a run's marker, as /proc shows it.</summary>
public sealed record MarkedProcess(int Pid, int ParentPid, string[] CommandLine)
{
    /// <summary>Whether this process is the program itself (its apphost, or <c>dotnet program.dll</c>), not a launcher of it.</summary>
    public bool Runs(string program)
    {
        var file = Path.GetFileName(CommandLine.FirstOrDefault() ?? "");
        return file == program || (file == "dotnet" && CommandLine.Length > 1 && Path.GetFileName(CommandLine[1]) == $"{program}.dll");
    }

    public override string ToString() => $"{Pid} (parent {ParentPid}) {string.Join(' ', CommandLine)}";
}
