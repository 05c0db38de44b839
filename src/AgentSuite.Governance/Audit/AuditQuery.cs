using AgentSuite.Governance.Configuration;

namespace AgentSuite.Governance.Audit;

/// <summary>
/// Which entries to read, in sequence order: those after <see cref="AfterSeq"/> that match every filter given (a null
/// filter matches everything), at most <see cref="Limit"/> of them.
/// </summary>
public sealed record AuditQuery(string? ConversationId = null, long AfterSeq = 0, int Limit = int.MaxValue)
{
    public string? Agent { get; init; }

    /// <summary>The entry's <c>server/tool</c> matches this pattern; entries without a tool never match.</summary>
    public ToolPattern? Tool { get; init; }

    public string? Decision { get; init; }

    public string? Kind { get; init; }

    public string? Principal { get; init; }

    /// <summary>Entries at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Entries before this instant.</summary>
    public DateTimeOffset? To { get; init; }
}
