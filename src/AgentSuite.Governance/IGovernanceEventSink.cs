namespace AgentSuite.Governance;

/// <summary>Receives a run's governance events as they happen. Implementations must be fast and must not throw.</summary>
public interface IGovernanceEventSink
{
    void Publish(GovernanceEvent governanceEvent);
}
