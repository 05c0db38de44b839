namespace AgentSuite.Cli.Api;

/// <summary>A conversation as <c>GET /api/conversations/{id}</c> answers it: its messages and its latest turn.</summary>
public sealed record Conversation
{
    public string Id { get; init; } = "";

    public string? CreatedBy { get; init; }

    public List<ConversationMessage>? Messages { get; init; }

    /// <summary>The latest turn; null before the first message.</summary>
    public ConversationTurn? Turn { get; init; }
}
