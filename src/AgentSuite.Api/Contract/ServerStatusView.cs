namespace AgentSuite.Api.Contract;

/// <summary>
/// One configured MCP server as the status monitor last saw it: its transport (<c>stdio</c> or <c>http</c>), whether
/// it answered (<see cref="State"/> <c>unknown</c>, <c>live</c> or <c>down</c>), the tools it served when it last
/// answered, and the last error with when it was first seen (kept after it recovers). <see cref="Live"/> and
/// <see cref="CheckedAt"/> are absent until the first check has finished, so a server not yet checked is not "down".
/// </summary>
internal sealed record ServerStatusView(string Name, string Transport, bool? Live, string State, IReadOnlyList<string> Tools, DateTimeOffset? CheckedAt, string? LastError, DateTimeOffset? LastErrorAt);
