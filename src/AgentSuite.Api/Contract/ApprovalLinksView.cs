namespace AgentSuite.Api.Contract;

/// <summary>Absolute links: the conversation on the page (read-only, in the approvals tab) and in the API; an approver may open both.</summary>
internal sealed record ApprovalLinksView(string Conversation, string ConversationApi);
