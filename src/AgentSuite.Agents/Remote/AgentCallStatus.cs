using System.Text.Json.Nodes;

namespace AgentSuite.Agents.Remote;

/// <summary>
/// Where an <c>ask_NAME</c> call's turn stands, sent in the result's <c>_meta</c> beside the text for people: a coordinator
/// reads only this, since the text of a reply is model output and could say anything.
/// </summary>
public static class AgentCallStatus
{
    /// <summary><c>{"status", "conversation_id"?, "idempotency_key"?, "approval_id"?}</c>.</summary>
    public const string Key = "agentsuite/status";

    public const string Completed = "completed";
    public const string Waiting = "waiting";
    public const string Running = "running";

    /// <summary>The conversation is in another turn: the message was not sent.</summary>
    public const string Busy = "busy";

    public const string Failed = "failed";

    public static JsonObject Meta(string status, string? conversationId = null, string? key = null, string? approvalId = null)
    {
        var value = new JsonObject { ["status"] = status };
        if (conversationId is { Length: > 0 })
        {
            value["conversation_id"] = conversationId;
        }

        if (key is not null)
        {
            value["idempotency_key"] = key;
        }

        if (approvalId is not null)
        {
            value["approval_id"] = approvalId;
        }

        return new JsonObject { [Key] = value };
    }
}
