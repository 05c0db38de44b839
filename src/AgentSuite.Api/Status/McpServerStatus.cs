namespace AgentSuite.Api.Status;

/// <summary>
/// What the monitor last learnt of one MCP server: whether it answered, the tools it served when it last did, and the
/// last error with when it was first seen (kept after the server recovers, so a flapping server is visible).
/// </summary>
internal sealed record McpServerStatus(bool Live, IReadOnlyList<string> Tools, DateTimeOffset CheckedAt, string? LastError, DateTimeOffset? LastErrorAt);
