namespace AgentSuite.Cli.Api;

/// <summary>A page of <c>GET /api/conversations</c>, newest first; <see cref="NextAfterId"/> is null on the last page.</summary>
public sealed record ConversationPage
{
    public List<ConversationSummary> Items { get; init; } = [];

    public string? NextAfterId { get; init; }
}
