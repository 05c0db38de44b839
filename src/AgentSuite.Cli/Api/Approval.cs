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
}
