namespace AgentSuite.Api.Contract;

/// <summary>
/// <c>GET /api/conversations</c>: one page, newest first. <see cref="NextAfterId"/> is the value of <c>afterId</c> for
/// the next page, and null on the last one.
/// </summary>
internal sealed record ConversationListView(IReadOnlyList<ConversationListItem> Items)
{
    public string? NextAfterId { get; init; }
}
