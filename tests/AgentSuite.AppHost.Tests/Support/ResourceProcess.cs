using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace AgentSuite.AppHost.Tests.Support;

/// <summary>
/// The process DCP started for one resource, by the process id in Aspire's resource snapshot, with its start time so a
/// recycled id is not taken for it. Uses only the Process API, so it works on Linux, macOS and Windows.
/// </summary>
public sealed record ResourceProcess(string Resource, int Pid, DateTime StartTime)
{
    // The snapshot property that holds the id of the process DCP started (the dashboard shows it as the process id).
    private const string PidProperty = "executable.pid";

    /// <summary>The resource's process as its current snapshot names it (a running resource's snapshot always does).</summary>
    public static ResourceProcess Of(DistributedApplication app, string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var current), $"No state for '{resource}'");
        var pid = PidIn(current.Snapshot);
        Assert.True(pid is not null, $"'{resource}' has no {PidProperty} property: {string.Join(", ", current.Snapshot.Properties.Select(p => p.Name))}");
        using var process = Process.GetProcessById(pid.Value);
        return new ResourceProcess(resource, pid.Value, process.StartTime);
    }

    /// <summary>Whether the process still runs: same id, same start time, not exited.</summary>
    public bool IsRunning()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            // Where /proc exists a zombie is gone too: it has exited and only waits for its parent to read its status.
            return process.StartTime == StartTime && !process.HasExited && !(OperatingSystem.IsLinux() && ProcFs.IsZombie(Pid));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // No process with that id, or it exited while being read.
            return false;
        }
    }

    public override string ToString() => $"{Pid} ({Resource}, started {StartTime:O})";

    private static int? PidIn(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value switch
        {
            int pid => pid,
            long pid => checked((int)pid),
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };
}
