namespace AgentSuite.Governance.Pinning;

/// <summary>
/// The approved definition of a tool. <see cref="ObservedHash"/> is the latest definition seen; when it differs from
/// <see cref="PinnedHash"/> the tool is blocked until an admin re-approves it.
/// </summary>
public sealed record ToolPin(string Tool, string? PinnedHash, string ObservedHash, string? ApprovedBy, DateTimeOffset? ApprovedAt, DateTimeOffset ObservedAt)
{
    public bool IsBlocked => !string.Equals(PinnedHash, ObservedHash, StringComparison.Ordinal);
}
