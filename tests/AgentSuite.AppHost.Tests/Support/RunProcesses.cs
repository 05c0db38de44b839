using System.Diagnostics;

namespace AgentSuite.AppHost.Tests.Support;

/// <summary>
/// The processes one test run started, found by a marker variable in their environment: every resource is given it,
/// and DCP inherits it from the test process, so a process the run leaves behind is found whoever its parent is now.
/// Reads /proc, so it works where CI runs (Linux).
/// </summary>
public sealed class RunProcesses
{
    public const string Variable = "AGENTSUITE_TEST_RUN";

    public string Marker { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Each live process carrying the marker, as "pid command line".</summary>
    public List<string> Running()
    {
        var needle = $"{Variable}={Marker}\0";
        var found = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(folder);
            if (!int.TryParse(name, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                // A zombie has exited and only waits for its parent to read its status.
                if (!File.ReadAllText(Path.Combine(folder, "environ")).Contains(needle, StringComparison.Ordinal) || IsZombie(folder))
                {
                    continue;
                }

                found.Add($"{pid} {File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ').Trim()}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process.
            }
        }

        return found;
    }

    /// <summary>Waits until no process carries the marker; fails listing those still running after <paramref name="patience"/>.</summary>
    public async Task AssertAllGoneAsync(TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        var left = Running();
        while (left.Count > 0 && clock.Elapsed < patience)
        {
            await Task.Delay(250);
            left = Running();
        }

        Assert.True(left.Count == 0, $"The run left {left.Count} process(es) behind:\n{string.Join('\n', left)}");
    }

    private static bool IsZombie(string folder)
    {
        var stat = File.ReadAllText(Path.Combine(folder, "stat"));
        // The state follows the command name, which is in parentheses and may itself hold spaces.
        return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
    }
}
