namespace AgentSuite.Agents;

/// <summary>A message arrived while the conversation's previous turn was still running (the Api answers 409).</summary>
public sealed class ConversationBusyException(string conversationId)
    : Exception($"Conversation '{conversationId}' is still working on the previous message; send the next one when it has answered.")
{
    public string ConversationId { get; } = conversationId;
}
