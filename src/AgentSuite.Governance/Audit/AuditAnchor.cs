namespace AgentSuite.Governance.Audit;

/// <summary>
/// The audit chain's head as vouched for outside the database: at <see cref="At"/> the chain held <see cref="Count"/>
/// entries and entry <see cref="HeadSeq"/> had hash <see cref="HeadHash"/>. <see cref="Signature"/> is an HMAC-SHA256
/// under a key the database does not hold (<see cref="AuditAnchorSignature"/> says over what).
/// </summary>
public sealed record AuditAnchor
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required long Count { get; init; }

    public required long HeadSeq { get; init; }

    /// <summary>The hash of entry <see cref="HeadSeq"/>; 64 zeros for an empty chain.</summary>
    public required string HeadHash { get; init; }

    /// <summary>When the anchor was signed, in the audit's own time form (UTC, round-trip).</summary>
    public required string At { get; init; }

    /// <summary>Earlier anchored heads, oldest first, so a rewrite can be placed between the last that still matches and the first that does not.</summary>
    public IReadOnlyList<AuditCheckpoint> Checkpoints { get; init; } = [];

    /// <summary>The first 16 hex digits of SHA-256 of the key, to tell "signed with another key" from "altered".</summary>
    public string? KeyId { get; init; }

    /// <summary>Lower-case hex HMAC-SHA256 of <see cref="AuditAnchorSignature.Payload"/>.</summary>
    public string? Signature { get; init; }
}
