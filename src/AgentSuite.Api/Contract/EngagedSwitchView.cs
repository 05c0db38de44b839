namespace AgentSuite.Api.Contract;

/// <summary>An engaged kill switch in the status: its scope, where it was engaged, and for a run-time one who engaged it, when and why.</summary>
internal sealed record EngagedSwitchView(string Scope, string Source, string? EngagedBy, DateTimeOffset? EngagedAt, string? Reason);
