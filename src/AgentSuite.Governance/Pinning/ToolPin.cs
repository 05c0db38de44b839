namespace AgentSuite.Governance.Pinning;

/// <summary>
/// The approved definition of a tool. <see cref="ObservedHash"/> is the latest definition seen; when it differs from
/// <see cref="PinnedHash"/> the tool is blocked until an admin re-approves it.
/// </summary>
public sealed record ToolPin(string Tool, string? PinnedHash, string ObservedHash, string? ApprovedBy, DateTimeOffset? ApprovedAt, DateTimeOffset ObservedAt)
{
    public bool IsBlocked => !string.Equals(PinnedHash, ObservedHash, StringComparison.Ordinal);

    /// <summary>The approved definition as canonical JSON; null when none is approved, or it was approved before definitions were kept.</summary>
    public string? PinnedDefinition { get; init; }

    /// <summary>The latest definition seen as canonical JSON; null only for a pin kept before definitions were, until the tool is seen again.</summary>
    public string? ObservedDefinition { get; init; }
}
