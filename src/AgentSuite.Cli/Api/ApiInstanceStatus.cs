namespace AgentSuite.Cli.Api;

/// <summary>
/// One Api instance sharing the store: when it was last seen, the policy version it runs, <see cref="Gone"/> when not
/// seen for a minute, and <see cref="This"/> for the instance that answered.
/// </summary>
public sealed record ApiInstanceStatus(
    string Name,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastSeen,
    string? PolicyVersion,
    DateTimeOffset? PolicyLoadedAt,
    string? Version,
    bool Gone,
    bool This);
