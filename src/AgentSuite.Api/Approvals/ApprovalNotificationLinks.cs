namespace AgentSuite.Api.Approvals;

/// <summary>Absolute links: the page's inbox and the conversation as an approver reads it, and the API's approval and conversation.</summary>
internal sealed record ApprovalNotificationLinks(string Inbox, string Conversation, string Approval, string ConversationApi);
