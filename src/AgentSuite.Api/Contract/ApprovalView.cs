using System.Text.Json;

namespace AgentSuite.Api.Contract;

/// <summary>An approval request with the exact arguments it releases, and its decision once made.</summary>
internal sealed record ApprovalView(
    string Id,
    string ConversationId,
    string RunId,
    string ToolCallId,
    string Agent,
    string Tool,
    JsonElement Arguments,
    string ArgumentsHash,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    string Reason,
    string Status,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Comment);
