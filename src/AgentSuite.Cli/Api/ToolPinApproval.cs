namespace AgentSuite.Cli.Api;

/// <summary>The answer of <c>POST /api/governance/tools/approve</c>: the tool's pin after the approval.</summary>
public sealed record ToolPinApproval(string Tool, string? PinnedHash, bool? Blocked, string? ApprovedBy, DateTimeOffset? ApprovedAt);
