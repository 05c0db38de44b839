namespace AgentSuite.Api.Contract;

/// <summary><c>GET /api/conversations/{id}</c>: who started the conversation, and its messages in order.</summary>
internal sealed record ConversationView(string Id, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<MessageView> Messages);
