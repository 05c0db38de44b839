namespace AgentSuite.Cli.Api;

/// <summary>The governance policy version in force, when it came into force, and why it denies everything if it does not compile.</summary>
public sealed record PolicyStatus(string Version, DateTimeOffset? LoadedAt, string? Error);
