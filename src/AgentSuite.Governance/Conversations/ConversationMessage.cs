namespace AgentSuite.Governance.Conversations;

/// <summary>One message of a conversation as the user sees it: <c>user</c> or <c>assistant</c>, and which agent spoke.</summary>
public sealed record ConversationMessage(string Role, string? Agent, string Text, DateTimeOffset At);
