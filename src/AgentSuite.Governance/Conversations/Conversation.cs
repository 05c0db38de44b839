namespace AgentSuite.Governance.Conversations;

public sealed record Conversation(string Id, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<ConversationMessage> Messages);
