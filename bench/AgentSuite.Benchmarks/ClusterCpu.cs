using System.Diagnostics;
using System.Globalization;

namespace AgentSuite.Benchmarks;

/// <summary>
/// CPU time used so far by the Api instances, the shared plugin servers, the PostgreSQL server (its postmaster and every
/// backend, ended backends included through the postmaster's children's time) and this (client) process, and the whole
/// machine's, from which the other sessions' share on the same cores can be told.
/// </summary>
internal sealed record ClusterCpu(TimeSpan Apis, TimeSpan Plugins, TimeSpan Postgres, TimeSpan Client, MachineCpu Machine)
{
    public static ClusterCpu Take(IEnumerable<int> apiPids, IEnumerable<int> pluginPids, int postmasterPid) =>
        new(Sum(apiPids), Sum(pluginPids), PostgresTree(postmasterPid), Of(Environment.ProcessId), MachineCpu.Take());

    public static ClusterCpu operator -(ClusterCpu after, ClusterCpu before) =>
        new(after.Apis - before.Apis, after.Plugins - before.Plugins, after.Postgres - before.Postgres, after.Client - before.Client, after.Machine - before.Machine);

    private static TimeSpan Sum(IEnumerable<int> pids) => pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + Of(pid));

    private static TimeSpan Of(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }

    // /proc/PID/stat fields 14-17: utime, stime, and the reaped children's cutime, cstime, in clock ticks (100 a second).
    private static TimeSpan PostgresTree(int postmaster)
    {
        long ticks = Ticks(postmaster, withChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != postmaster && ParentOf(pid) == postmaster)
            {
                ticks += Ticks(pid, withChildren: false);
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static string[] Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static int ParentOf(int pid) => Fields(pid) is { Length: > 1 } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : -1;

    private static long Ticks(int pid, bool withChildren)
    {
        // After "pid (comm) ", field 3 (state) is index 0, so utime (14) is index 11.
        var f = Fields(pid);
        if (f.Length < 15)
        {
            return 0;
        }

        var own = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        return withChildren ? own + long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture) : own;
    }
}
