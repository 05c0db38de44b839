namespace AgentSuite.Governance.Conversations;

/// <summary>Conversations and their messages, kept with the other governance stores (the audit refers to them by id).</summary>
public interface IConversationStore
{
    /// <summary>Records a new conversation: the starter's name as the audit records it, and their token subject (null without a token), which decides ownership.</summary>
    Task CreateAsync(string id, string createdBy, string? createdBySubject, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The conversation with its messages in order, or null when there is none with that id.</summary>
    Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Appends a message; throws <see cref="KeyNotFoundException"/> for an unknown conversation.</summary>
    Task AppendAsync(string id, ConversationMessage message, CancellationToken cancellationToken = default);

    /// <summary>One page of conversations matching <paramref name="query"/>, newest first, in one read.</summary>
    Task<IReadOnlyList<ConversationSummary>> ListAsync(ConversationQuery query, CancellationToken cancellationToken = default);
}
