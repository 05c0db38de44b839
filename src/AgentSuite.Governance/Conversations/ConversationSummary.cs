namespace AgentSuite.Governance.Conversations;

/// <summary>A conversation as a list shows it: who started it, how many messages, when the last one came, and its latest turn.</summary>
public sealed record ConversationSummary(string Id, string CreatedBy, DateTimeOffset CreatedAt, int MessageCount)
{
    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>Null before the first message.</summary>
    public TurnSummary? LatestTurn { get; init; }
}
