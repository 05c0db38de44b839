namespace AgentSuite.Cli.Api;

/// <summary>A conversation as the list shows it: who started it, its messages' count and latest time, and its latest turn.</summary>
public sealed record ConversationSummary
{
    public string Id { get; init; } = "";

    public string? CreatedBy { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public int MessageCount { get; init; }

    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>Null before the first message.</summary>
    public ConversationTurn? Turn { get; init; }
}
