using System.Runtime.Versioning;

namespace AgentSuite.AppHost.Tests.Support;

/// <summary>
/// The processes one test run started, found by a marker variable in their environment: every resource is given it,
/// and DCP inherits it from the test process, so DCP, its helpers, each <c>dotnet run</c> and each server carry it, and a
/// process the run leaves behind is found whoever its parent is now. Reads /proc, so only on Linux.
/// </summary>
public sealed class RunProcesses
{
    public const string Variable = "AGENTSUITE_TEST_RUN";

    public string Marker { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Each live process carrying the marker.</summary>
    [SupportedOSPlatform("linux")]
    public List<MarkedProcess> Running()
    {
        var needle = $"{Variable}={Marker}\0";
        var found = new List<MarkedProcess>();
        foreach (var pid in ProcFs.Pids().Where(pid => pid != Environment.ProcessId))
        {
            try
            {
                if (ProcFs.Environment(pid).Contains(needle, StringComparison.Ordinal) && !ProcFs.IsZombie(pid))
                {
                    found.Add(new MarkedProcess(pid, ProcFs.ParentOf(pid), ProcFs.CommandLine(pid)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process.
            }
        }

        return found;
    }
}
