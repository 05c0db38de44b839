namespace AgentSuite.Api.Contract;

/// <summary>
/// One Api instance sharing the store, as its heartbeats last told it: the program's and the policy's versions it runs,
/// when it was last seen (the store's clock), <c>gone</c> when not for a minute, and <c>this</c> for the one answering.
/// </summary>
internal sealed record InstanceStatusView(
    string Name,
    DateTimeOffset StartedAt,
    DateTimeOffset LastSeen,
    string PolicyVersion,
    DateTimeOffset PolicyLoadedAt,
    string? Version,
    bool Gone,
    bool This);
