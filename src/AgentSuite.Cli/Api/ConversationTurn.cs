namespace AgentSuite.Cli.Api;

/// <summary>A conversation's latest turn: where it stands, and the number of its last event.</summary>
public sealed record ConversationTurn
{
    public string RunId { get; init; } = "";

    /// <summary><c>running</c>, <c>waiting</c>, <c>completed</c>, <c>failed</c> or <c>abandoned</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>The approval a waiting turn is suspended on.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>Why a turn failed or was abandoned.</summary>
    public string? Reason { get; init; }

    public long LastEventId { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>True while the turn still leads to a reply (running, or waiting for a person).</summary>
    public bool IsActive => Status is "running" or "waiting";
}
