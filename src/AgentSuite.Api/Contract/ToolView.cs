namespace AgentSuite.Api.Contract;

/// <summary>
/// A tool an MCP server serves, with its pin; or, for a server that does not answer, <c>server/*</c> with
/// <see cref="Available"/> false and the <see cref="Problem"/>.
/// </summary>
internal sealed record ToolView(
    string Tool,
    string Server,
    string? Name,
    bool Available,
    string? PinnedHash,
    string? ObservedHash,
    bool? Blocked,
    string? ApprovedBy,
    DateTimeOffset? ApprovedAt,
    string? Problem);
