using System.Text.RegularExpressions;

namespace CustomerAgent;

/// <summary>What one attempt got back, sorted the way a person watching the run reads it, with AgentSuite's own words as the detail.</summary>
internal sealed partial record Answer(string Outcome, string Detail, string? ConversationId)
{
    public const string Answered = "answered";
    public const string Waiting = "waiting for approval";
    public const string Running = "still running";
    public const string NotSent = "not sent";
    public const string Refused = "refused";
    public const string Failed = "failed";

    /// <summary>Reads an <c>ask_coordinator</c> result: its text and whether it is a tool error.</summary>
    public static Answer From(string text, bool isError)
    {
        var detail = Whitespace().Replace(text, " ").Trim();
        var conversation = ConversationIdIn().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
        if (isError)
        {
            return new(Refused, detail, conversation);
        }

        if (Approval().Match(text) is { Success: true } approval && !text.Contains("message was not sent", StringComparison.Ordinal))
        {
            return new(Waiting, $"{approval.Groups[1].Value} (conversation {conversation})", conversation);
        }

        return text switch
        {
            _ when text.Contains("message was not sent", StringComparison.Ordinal) || text.Contains("send your message again", StringComparison.Ordinal) => new(NotSent, detail, conversation),
            _ when text.StartsWith("still running", StringComparison.Ordinal) => new(Running, detail, conversation),
            _ => new(Answered, detail, conversation),
        };
    }

    /// <summary>A call that got no result at all: a protocol error (MCP) or an HTTP refusal before MCP (401, 403, 429).</summary>
    public static Answer Error(string outcome, string message) => new(outcome, Whitespace().Replace(message, " ").Trim(), null);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"conversation_id (conv_\w+)")]
    private static partial Regex ConversationIdIn();

    [GeneratedRegex(@"waiting for approval: (apr_\w+)")]
    private static partial Regex Approval();
}
