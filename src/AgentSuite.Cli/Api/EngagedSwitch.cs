namespace AgentSuite.Cli.Api;

/// <summary>An engaged kill switch in the status, with who engaged it, when and why.</summary>
public sealed record EngagedSwitch(string Scope, string? Source, string? EngagedBy, DateTimeOffset? EngagedAt, string? Reason);
