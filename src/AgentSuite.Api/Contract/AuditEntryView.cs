using System.Text.Json;

namespace AgentSuite.Api.Contract;

/// <summary>One entry of the audit log with its place in the hash chain.</summary>
internal sealed record AuditEntryView(
    long Seq,
    DateTimeOffset At,
    string Kind,
    string? ConversationId,
    string? RunId,
    string? Agent,
    string? Principal,
    string? Tool,
    string? ToolCallId,
    string? Decision,
    string? Reason,
    JsonElement? Data,
    string PrevHash,
    string Hash);
