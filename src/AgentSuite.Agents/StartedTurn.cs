namespace AgentSuite.Agents;

/// <summary>A turn on the record and running: its run id, and the task that ends with its reply or its failure.</summary>
public sealed record StartedTurn(string RunId, Task<TurnResult> Completion);
