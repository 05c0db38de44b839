using System.Diagnostics;

namespace AgentSuite.Benchmarks;

/// <summary>
/// Processes whose command line contains a marker (the benchmark's own data folder, unique per start), found through
/// /proc. Other sessions' Api and plugin processes never carry it, so only this benchmark's are ever ended.
/// </summary>
internal static class LeftoverProcesses
{
    public static List<(int Pid, string CommandLine)> Find(string marker)
    {
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
            }
            catch (IOException)
            {
                continue; // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Contains(marker, StringComparison.Ordinal))
            {
                found.Add((pid, commandLine));
            }
        }

        return found;
    }

    /// <summary>Waits up to <paramref name="grace"/> for them to go; ends any still there by id and says which.</summary>
    public static async Task<List<string>> EndAllAsync(string marker, TimeSpan grace)
    {
        var deadline = Stopwatch.StartNew();
        var left = Find(marker);
        while (left.Count > 0 && deadline.Elapsed < grace)
        {
            await Task.Delay(50);
            left = Find(marker);
        }

        foreach (var (pid, _) in left)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Gone meanwhile.
            }
            catch (InvalidOperationException)
            {
            }
        }

        return left.Select(p => $"{p.Pid} {p.CommandLine}").ToList();
    }
}
