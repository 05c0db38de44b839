using System.Diagnostics;

namespace AgentSuite.AppHost.Tests.Support;

/// <summary>What a run left running once its app was disposed.</summary>
public static class Leftovers
{
    /// <summary>
    /// Waits until no resource's process runs (every platform) and, where /proc exists, no process carries the run's
    /// marker (DCP, its helpers, the servers <c>dotnet run</c> started); fails listing those still running after
    /// <paramref name="patience"/>.
    /// </summary>
    public static async Task AssertNoneAsync(IReadOnlyCollection<ResourceProcess> launched, RunProcesses run, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        var left = Running(launched, run);
        while (left.Count > 0 && clock.Elapsed < patience)
        {
            await Task.Delay(250);
            left = Running(launched, run);
        }

        Assert.True(left.Count == 0, $"The run left {left.Count} process(es) behind:\n{string.Join('\n', left)}");
    }

    private static List<string> Running(IReadOnlyCollection<ResourceProcess> launched, RunProcesses run)
    {
        var left = launched.Where(p => p.IsRunning()).Select(p => $"{p}").ToList();
        if (OperatingSystem.IsLinux())
        {
            left.AddRange(run.Running().Select(p => $"{p}"));
        }

        return left;
    }
}
