using System.Text.RegularExpressions;

namespace AgentSuite.Agents.Remote;

/// <summary>
/// An <c>ask_NAME</c> answer read by the contract of docs/agents-over-mcp.md: the reply, or where the remote turn stands
/// (waiting for an approval, still running), with the conversation to ask again in.
/// </summary>
internal sealed partial record RemoteAnswer(string Text, bool IsError, string? ConversationId, string? ApprovalId, bool Pending)
{
    public static RemoteAnswer Read(string text, bool isError)
    {
        if (isError)
        {
            return new RemoteAnswer(text, true, null, null, false);
        }

        if (Waiting().Match(text) is { Success: true } waiting)
        {
            return new RemoteAnswer(text, false, waiting.Groups["conversation"].Value, waiting.Groups["approval"].Value, true);
        }

        if (Unfinished().Match(text) is { Success: true } unfinished)
        {
            return new RemoteAnswer(text, false, unfinished.Groups["conversation"] is { Success: true } c ? c.Value : null, null, true);
        }

        // A reply ends with the conversation it was given in, which the coordinator's model need not read.
        return Reply().Match(text) is { Success: true } reply
            ? new RemoteAnswer(text[..reply.Index], false, reply.Groups["conversation"].Value, null, false)
            : new RemoteAnswer(text, false, null, null, false);
    }

    [GeneratedRegex(@"^waiting for approval: (?<approval>\S+?); call again with conversation_id (?<conversation>\S+)")]
    private static partial Regex Waiting();

    [GeneratedRegex(@"^still (running|starting); call again with (conversation_id (?<conversation>\S+) and )?idempotency_key")]
    private static partial Regex Unfinished();

    [GeneratedRegex(@"\n\n\(conversation_id (?<conversation>\S+)\)$")]
    private static partial Regex Reply();
}
