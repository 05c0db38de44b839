using System.Text.Json.Nodes;

namespace AgentSuite.Agents.Remote;

/// <summary>
/// Where an <c>ask_NAME</c> call's turn stands, sent in the result's <c>_meta</c> beside the text for people: a coordinator
/// reads only this, since the text of a reply is model output and could say anything.
/// </summary>
public static class AgentCallStatus
{
    /// <summary><c>{"status", "conversation_id"?, "idempotency_key"?, "approval_id"?, "no_answer"?}</c>.</summary>
    public const string Key = "agentsuite/status";

    public const string Completed = "completed";
    public const string Waiting = "waiting";
    public const string Running = "running";

    /// <summary>The conversation is in another turn: the message was not sent.</summary>
    public const string Busy = "busy";

    public const string Failed = "failed";

    /// <summary>
    /// Beside <see cref="Failed"/> when the turn failed because its model had no answer: <c>{"reply", "detail"}</c>, the
    /// customer's sentence and the developer's detail, so a caller fails its own turn the same way instead of passing the
    /// failure text on as a result.
    /// </summary>
    public const string NoAnswer = "no_answer";

    public static JsonObject Meta(string status, string? conversationId = null, string? key = null, string? approvalId = null, (string Reply, string? Detail)? noAnswer = null)
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

        if (noAnswer is { } none)
        {
            value[NoAnswer] = new JsonObject { ["reply"] = none.Reply, ["detail"] = none.Detail };
        }

        return new JsonObject { [Key] = value };
    }
}
