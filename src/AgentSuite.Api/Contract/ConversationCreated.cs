namespace AgentSuite.Api.Contract;

/// <summary><c>POST /api/conversations</c>: the new conversation's id (its URL is in <c>Location</c>).</summary>
internal sealed record ConversationCreated(string Id);
