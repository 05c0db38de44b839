namespace AgentSuite.Cli.Api;

/// <summary>One message of a conversation: the user's, or an agent's reply.</summary>
public sealed record ConversationMessage(string Role, string? Agent, string Text, DateTimeOffset? At);
