namespace AgentSuite.Cli.Api;

/// <summary>A tool's pin; blocked when its latest definition is not the approved one.</summary>
public sealed record ToolPinStatus(string Tool, string? Server, string? PinnedHash, string? ObservedHash, bool Blocked, string? ApprovedBy, DateTimeOffset? ApprovedAt);
