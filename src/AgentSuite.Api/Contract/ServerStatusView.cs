namespace AgentSuite.Api.Contract;

/// <summary>
/// One configured MCP server as the status monitor last saw it: its transport (<c>stdio</c> or <c>http</c>), whether
/// it answered, the tools it served when it last answered, and the last error with when it was first seen (kept after
/// it recovers). <see cref="CheckedAt"/> is absent until the first check has finished.
/// </summary>
internal sealed record ServerStatusView(string Name, string Transport, bool Live, IReadOnlyList<string> Tools, DateTimeOffset? CheckedAt, string? LastError, DateTimeOffset? LastErrorAt);
