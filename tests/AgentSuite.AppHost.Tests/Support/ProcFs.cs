using System.Runtime.Versioning;

namespace AgentSuite.AppHost.Tests.Support;

/// <summary>What Linux's /proc says about a process; every read throws IOException once the process is gone.</summary>
[SupportedOSPlatform("linux")]
public static class ProcFs
{
    /// <summary>The process ids /proc lists now.</summary>
    public static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : 0).Where(pid => pid > 0);

    public static string Environment(int pid) => File.ReadAllText($"/proc/{pid}/environ");

    /// <summary>The program and its arguments as it was started.</summary>
    public static string[] CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    public static int ParentOf(int pid) => int.Parse(StatFields(pid)[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the process has exited and only waits for its parent to read its status.</summary>
    public static bool IsZombie(int pid) => StatFields(pid)[0] == "Z";

    // The fields after the command name, which is in parentheses and may itself hold spaces: state, parent, ...
    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
