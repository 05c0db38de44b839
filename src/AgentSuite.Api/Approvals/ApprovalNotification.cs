using System.Text.Json.Serialization;
using AgentSuite.Governance.Approvals;

namespace AgentSuite.Api.Approvals;

/// <summary>
/// The JSON posted when a call starts waiting for a person. It carries who asks for what and why, and links, never the
/// arguments: those stay in the Api (they may hold personal data) and the approver reads them in the inbox. The
/// customer's request (already redacted and capped) is sent only with <c>IncludeRequest</c>. <see cref="Text"/> is a
/// one-line summary, so a chat tool's incoming webhook (which shows a <c>text</c> field) needs no adapter: it never holds
/// the customer's words, and its &amp;, &lt; and &gt; are escaped, so a name cannot become a mention or a link.
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Request,
    string Reason,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    ApprovalNotificationLinks? Links,
    string Text)
{
    public const string RequestedType = "approval.requested";

    public static ApprovalNotification From(ApprovalRequest r, string? baseUrl, bool includeRequest)
    {
        var links = baseUrl is null ? null : new ApprovalNotificationLinks(
            ApprovalLinks.Join(baseUrl, ApprovalLinks.InboxPath),
            ApprovalLinks.Join(baseUrl, ApprovalLinks.ConversationPagePath(r.ConversationId)),
            ApprovalLinks.Join(baseUrl, ApprovalLinks.ApprovalApiPath(r.Id)),
            ApprovalLinks.Join(baseUrl, ApprovalLinks.ConversationApiPath(r.ConversationId)));
        var path = string.Join(" → ", r.AgentPath.Count > 0 ? r.AgentPath : [r.Agent]);
        var text = $"{r.RequestedBy}'s call {r.Tool} (agent {path}) waits for approval: {r.Reason}"
            + (links is null ? "" : $" Decide in the inbox: {links.Inbox}");
        return new(RequestedType, r.Id, r.Tool, r.Agent, r.AgentPath, r.RequestedBy, r.ConversationId, r.RunId, r.ToolCallId,
            includeRequest ? r.Request : null, r.Reason, r.RequestedAt, r.ExpiresAt, links, Escape(text));
    }

    /// <summary>Slack's and Teams' markup starts with &lt; (mentions, links) and entities with &amp;: escaped, they show as typed.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
