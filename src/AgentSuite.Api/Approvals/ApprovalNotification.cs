using AgentSuite.Governance.Approvals;

namespace AgentSuite.Api.Approvals;

/// <summary>
/// The JSON posted when a call starts waiting for a person. It carries who asks for what and why, and links, never the
/// arguments: those stay in the Api (they may hold personal data) and the approver reads them in the inbox. <see cref="Text"/>
/// is a one-line summary, so a chat tool's incoming webhook (which shows a <c>text</c> field) needs no adapter.
/// </summary>
internal sealed record ApprovalNotification(
    string Type,
    string ApprovalId,
    string Tool,
    string Agent,
    IReadOnlyList<string> AgentPath,
    string RequestedBy,
    string ConversationId,
    string RunId,
    string ToolCallId,
    string? Request,
    string Reason,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    ApprovalNotificationLinks? Links,
    string Text)
{
    public const string RequestedType = "approval.requested";

    public static ApprovalNotification From(ApprovalRequest r, string? baseUrl)
    {
        var links = baseUrl is null ? null : new ApprovalNotificationLinks(
            ApprovalLinks.Join(baseUrl, ApprovalLinks.InboxPath),
            ApprovalLinks.Join(baseUrl, ApprovalLinks.ConversationPagePath(r.ConversationId)),
            ApprovalLinks.Join(baseUrl, ApprovalLinks.ApprovalApiPath(r.Id)),
            ApprovalLinks.Join(baseUrl, ApprovalLinks.ConversationApiPath(r.ConversationId)));
        var text = $"{r.RequestedBy}'s call {r.Tool} (agent {string.Join(" → ", r.AgentPath.Count > 0 ? r.AgentPath : [r.Agent])}) waits for approval: {r.Reason}"
            + (r.Request is { Length: > 0 } asked ? $" The customer asked: \"{asked}\"." : "")
            + (links is null ? "" : $" Decide in the inbox: {links.Inbox}");
        return new(RequestedType, r.Id, r.Tool, r.Agent, r.AgentPath, r.RequestedBy, r.ConversationId, r.RunId, r.ToolCallId, r.Request, r.Reason, r.RequestedAt, r.ExpiresAt, links, text);
    }
}

/// <summary>Absolute links: the page's inbox and the conversation's audit view, and the API's approval and conversation.</summary>
internal sealed record ApprovalNotificationLinks(string Inbox, string Conversation, string Approval, string ConversationApi);
