using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>An approval request as <c>GET /api/approvals</c> lists it.</summary>
public sealed record Approval
{
    public string Id { get; init; } = "";

    public string? ConversationId { get; init; }

    public string? RunId { get; init; }

    public string? ToolCallId { get; init; }

    public string? Agent { get; init; }

    public string? Tool { get; init; }

    public JsonElement? Arguments { get; init; }

    public string? ArgumentsHash { get; init; }

    public string? RequestedBy { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? Reason { get; init; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>denied</c> or <c>timed_out</c>.</summary>
    public string? Status { get; init; }

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Comment { get; init; }

    /// <summary>The customer's request that led to the call.</summary>
    public string? Request { get; init; }

    /// <summary>The agents it came through, e.g. coordinator then billing.</summary>
    public List<string>? AgentPath { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>Set while pending when the call's idempotency key already completed: approving does not run it again.</summary>
    public ApprovalReplay? Replay { get; init; }

    public ApprovalLinks? Links { get; init; }
}

/// <summary>When the call's key completed, and whether approving replays its result (same arguments) or is refused.</summary>
public sealed record ApprovalReplay(DateTimeOffset? CompletedAt, bool SameArguments, string? Message);

/// <summary>The conversation on the page (its audit view) and in the API.</summary>
public sealed record ApprovalLinks(string? Conversation, string? ConversationApi);
