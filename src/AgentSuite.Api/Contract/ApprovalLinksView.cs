namespace AgentSuite.Api.Contract;

/// <summary>Absolute links: the conversation on the page (its audit view) and in the API.</summary>
internal sealed record ApprovalLinksView(string Conversation, string ConversationApi);
