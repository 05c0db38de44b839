namespace AgentSuite.Api.Contract;

/// <summary>
/// <c>GET /api/conversations/{id}</c>: who started the conversation, its messages in order, and its latest turn (running,
/// waiting for an approval, or how it ended), absent before the first message.
/// </summary>
internal sealed record ConversationView(string Id, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<MessageView> Messages)
{
    public TurnView? Turn { get; init; }
}
