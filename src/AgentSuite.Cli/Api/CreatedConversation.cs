namespace AgentSuite.Cli.Api;

/// <summary>The answer of <c>POST /api/conversations</c>.</summary>
public sealed record CreatedConversation(string Id);
