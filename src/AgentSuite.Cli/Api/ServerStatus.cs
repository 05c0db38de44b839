namespace AgentSuite.Cli.Api;

/// <summary>An MCP server as the Api's monitor last checked it, with its last error (kept after it recovers).</summary>
public sealed record ServerStatus(string Name, string? Transport, bool? Live, string? State, IReadOnlyList<string>? Tools, DateTimeOffset? CheckedAt, string? LastError, DateTimeOffset? LastErrorAt);
