namespace AgentSuite.Governance.Conversations;

public sealed record Conversation(string Id, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<ConversationMessage> Messages)
{
    /// <summary>The token subject of whoever started it; null when they used an API key or demo mode.</summary>
    public string? CreatedBySubject { get; init; }

    /// <summary>
    /// Whether <paramref name="caller"/> started it: by subject when it was started with a token (the recorded display
    /// name may have changed since), by name otherwise. <see cref="ConversationQuery.Owner"/> applies the same rule.
    /// </summary>
    public bool IsOwnedBy(Principal caller) =>
        CreatedBySubject is { } subject
            ? string.Equals(caller.Subject, subject, StringComparison.Ordinal)
            : string.Equals(CreatedBy, caller.Name, StringComparison.OrdinalIgnoreCase);
}
