using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentSuite.Agents.Remote;

/// <summary>
/// An <c>ask_NAME</c> answer read by the contract of docs/agents-over-mcp.md: where the remote turn stands comes only from
/// the result's <c>_meta</c> (<see cref="AgentCallStatus"/>), never from its text, which for a reply is model output.
/// </summary>
internal sealed record RemoteAnswer(string Text, bool IsError, string? ConversationId, string? ApprovalId, bool Pending)
{
    /// <summary>Set when the remote turn failed because its model had no answer (<see cref="AgentCallStatus.NoAnswer"/>).</summary>
    public (string Reply, string? Detail)? NoAnswer { get; init; }

    public static RemoteAnswer Read(string text, bool isError, JsonObject? meta)
    {
        var status = meta?[AgentCallStatus.Key] as JsonObject;
        var state = Field(status, "status");
        var conversation = Field(status, "conversation_id");
        if (isError || state is AgentCallStatus.Failed or AgentCallStatus.Busy)
        {
            return new RemoteAnswer(text, true, conversation, null, false) { NoAnswer = NoAnswerOf(status) };
        }

        if (state is AgentCallStatus.Waiting or AgentCallStatus.Running)
        {
            return new RemoteAnswer(text, false, conversation, state == AgentCallStatus.Waiting ? Field(status, "approval_id") : null, true);
        }

        if (state != AgentCallStatus.Completed)
        {
            // An answer without a status is no reply this contract can trust: the remote is not an AgentSuite agent server.
            return new RemoteAnswer($"the answer carries no _meta[\"{AgentCallStatus.Key}\"] status: {text}", true, null, null, false);
        }

        // A reply ends with the conversation it was given in, which the coordinator's model need not read.
        var suffix = $"\n\n(conversation_id {conversation})";
        return new RemoteAnswer(conversation is not null && text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text, false, conversation, null, false);
    }

    private static (string Reply, string? Detail)? NoAnswerOf(JsonObject? status) =>
        status?[AgentCallStatus.NoAnswer] is JsonObject none && Field(none, "reply") is { Length: > 0 } reply ? (reply, Field(none, "detail")) : null;

    private static string? Field(JsonObject? source, string property) =>
        source?[property] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
