using System.Text.Json;

namespace AgentSuite.Governance.Audit;

/// <summary>One fact for the audit log, before the log gives it a sequence number and a place in the hash chain.</summary>
public sealed record AuditEntry(string Kind, DateTimeOffset At)
{
    public string? ConversationId { get; init; }

    public string? RunId { get; init; }

    public string? Agent { get; init; }

    /// <summary>The human on whose behalf the agent acted, or who made a governance change.</summary>
    public string? Principal { get; init; }

    /// <summary><c>server/tool</c>.</summary>
    public string? Tool { get; init; }

    public string? ToolCallId { get; init; }

    /// <summary><c>allowed</c>, <c>denied</c>, <c>approved</c>, <c>timed_out</c>, <c>completed</c>, <c>failed</c>, ...</summary>
    public string? Decision { get; init; }

    public string? Reason { get; init; }

    /// <summary>Further facts as a JSON object (arguments hash, approval id, pin hash, ...).</summary>
    public JsonElement? Data { get; init; }
}
