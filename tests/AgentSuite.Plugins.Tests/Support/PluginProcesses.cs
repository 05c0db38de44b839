using System.Diagnostics;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>Finds the plugin processes a test started, to kill one the way a crash would.</summary>
public static class PluginProcesses
{
    /// <summary>
    /// Kills every <c>dotnet</c> process whose command line names <paramref name="dataPath"/> (each test gives its
    /// plugins a unique data file, so this is exactly the test's own server) and waits for it to exit.
    /// </summary>
    /// <returns>How many processes were killed.</returns>
    public static int KillServerUsing(string dataPath)
    {
        var killed = 0;
        foreach (var process in ServersUsing(dataPath))
        {
            using (process)
            {
                process.Kill();
                process.WaitForExit(10_000);
                killed++;
            }
        }

        return killed;
    }

    /// <summary>
    /// Freezes the server using <paramref name="dataPath"/> (SIGSTOP): it stays alive, with its pipes open, but answers
    /// nothing. Returns the process so the test can kill it at the moment it chooses.
    /// </summary>
    public static Process FreezeServerUsing(string dataPath)
    {
        var process = ServersUsing(dataPath).Single();
        using var stop = Process.Start("kill", ["-STOP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        stop.WaitForExit(10_000);
        return stop.ExitCode == 0 ? process : throw new InvalidOperationException($"kill -STOP {process.Id} failed with {stop.ExitCode}.");
    }

    private static List<Process> ServersUsing(string dataPath)
    {
        var found = new List<Process>();
        foreach (var process in Process.GetProcessesByName("dotnet"))
        {
            var cmdline = $"/proc/{process.Id}/cmdline";
            if (process.Id != Environment.ProcessId && File.Exists(cmdline) && File.ReadAllText(cmdline).Contains(dataPath, StringComparison.Ordinal))
            {
                found.Add(process);
            }
            else
            {
                process.Dispose();
            }
        }

        return found;
    }
}
