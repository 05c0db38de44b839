namespace AgentSuite.Observability.Tests.Support;

/// <summary>
/// Tests that start tracer providers or activity listeners in this process run one at a time: listeners are global,
/// so two at once would see (and export) each other's activities.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
