namespace AgentSuite.AppHost.Tests.Support;

/// <summary>
/// The tests that start the AppHost, one at a time: each marks its run's processes with a variable set on this test
/// process (which DCP and the PostgreSQL test cluster inherit), and two runs of DCP at once would mark each other's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostRuns
{
    public const string Name = "AppHost runs";
}
