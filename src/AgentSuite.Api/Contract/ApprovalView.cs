using System.Text.Json;

namespace AgentSuite.Api.Contract;

/// <summary>
/// An approval request with the exact arguments it releases, its decision once made, and its context: the customer's
/// request that led to it, the agents it came through, links to the conversation, and (while pending) whether the call
/// would only replay a result because its idempotency key already completed.
/// </summary>
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
    string? Comment,
    string? Request,
    IReadOnlyList<string> AgentPath,
    string? IdempotencyKey,
    ApprovalReplayView? Replay,
    ApprovalLinksView Links);
