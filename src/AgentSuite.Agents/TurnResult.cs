namespace AgentSuite.Agents;

/// <summary>One completed turn: the run id (the audit's key for it) and the coordinator's reply.</summary>
public sealed record TurnResult(string ConversationId, string RunId, string Reply);
