using System.Diagnostics;

namespace AgentSuite.Benchmarks;

/// <summary>CPU time used so far by the Api process, its plugin server processes, and this (client) process.</summary>
internal sealed record CpuTimes(TimeSpan Api, TimeSpan Plugins, TimeSpan Client)
{
    public static CpuTimes Take(int apiPid, IReadOnlyList<int> pluginPids) =>
        new(Of(apiPid), pluginPids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + Of(pid)), Of(Environment.ProcessId));

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) =>
        new(after.Api - before.Api, after.Plugins - before.Plugins, after.Client - before.Client);

    public TimeSpan Total => Api + Plugins + Client;

    private static TimeSpan Of(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }
}
