namespace AgentSuite.Governance.Conversations;

/// <summary>
/// One page of conversations, newest first (by <c>createdAt</c>, then id). Each filter left null matches everything;
/// <see cref="AfterId"/> is the last conversation of the previous page, so a page never repeats or skips one.
/// </summary>
public sealed record ConversationQuery(int Limit)
{
    /// <summary>Who started the conversation, compared without regard to case.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>The conversations this person started, by the rule of <see cref="Conversation.IsOwnedBy"/>: by subject for those started with a token.</summary>
    public Principal? Owner { get; init; }

    /// <summary>The latest turn's <see cref="TurnStatus"/>, or <see cref="ConversationStatus.None"/> for a conversation with no turn yet.</summary>
    public string? Status { get; init; }

    /// <summary>Created at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Created before this instant.</summary>
    public DateTimeOffset? To { get; init; }

    public string? AfterId { get; init; }
}
