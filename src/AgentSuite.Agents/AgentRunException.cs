namespace AgentSuite.Agents;

/// <summary>An agent run that could not finish (too many failing tool calls, a model that keeps failing).</summary>
public sealed class AgentRunException(string message, Exception? innerException = null) : Exception(message, innerException);
