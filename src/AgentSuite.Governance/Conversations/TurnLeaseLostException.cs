namespace AgentSuite.Governance.Conversations;

/// <summary>
/// A turn's write was refused because another instance has taken the turn over (this instance's lease expired, say while
/// it was paused). The turn must stop here without further effects: the instance holding the lease now runs it.
/// </summary>
public sealed class TurnLeaseLostException(string runId, string? holder)
    : Exception($"Turn {runId} is now run by {holder ?? "another instance"}; this instance's lease on it expired.")
{
    public string RunId { get; } = runId;

    public string? Holder { get; } = holder;
}
