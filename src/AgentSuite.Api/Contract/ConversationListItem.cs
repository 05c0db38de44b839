namespace AgentSuite.Api.Contract;

/// <summary>A conversation in the list: who started it, its messages' count and latest time, and its latest turn (absent before the first message).</summary>
internal sealed record ConversationListItem(string Id, string CreatedBy, DateTimeOffset CreatedAt, int MessageCount)
{
    public DateTimeOffset? LastMessageAt { get; init; }

    public TurnSummaryView? Turn { get; init; }
}
