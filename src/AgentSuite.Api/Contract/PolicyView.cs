namespace AgentSuite.Api.Contract;

/// <summary>
/// The governance policy in force: its version (12 hex digits of the SHA-256 of the bound Governance settings), when
/// it came into force, and, when the settings do not compile, why every tool call is being denied.
/// </summary>
internal sealed record PolicyView(string Version, DateTimeOffset LoadedAt, string? Error);
