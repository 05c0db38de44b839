namespace AgentSuite.Api.Contract;

/// <summary>A tool's pin: the approved and the latest seen definition hashes, and whether the tool is blocked because they differ.</summary>
internal sealed record ToolPinView(string Tool, string Server, string? PinnedHash, string ObservedHash, bool Blocked, string? ApprovedBy, DateTimeOffset? ApprovedAt, DateTimeOffset ObservedAt);
