namespace AgentSuite.Governance.Limits;

/// <summary>
/// A call counted for loop detection: its run's distinct calls to <paramref name="Tool"/> with the same arguments, where
/// retries of one <paramref name="ToolCallId"/> count once; more than <paramref name="Limit"/> is a loop.
/// </summary>
public sealed record LoopCall(string Tool, string ArgumentsHash, string ToolCallId, int Limit);
