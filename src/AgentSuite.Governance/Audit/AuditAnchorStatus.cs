namespace AgentSuite.Governance.Audit;

/// <summary>How the chain compares with its anchor (<see cref="AuditAnchorCheck.Status"/>).</summary>
public static class AuditAnchorStatus
{
    /// <summary>No anchor was written yet (a new store, or one from before anchoring).</summary>
    public const string None = "none";

    /// <summary>The chain holds every anchored entry unchanged, and is at least as long as the anchor says.</summary>
    public const string Matches = "matches";

    /// <summary>The chain is shorter than the anchor: its tail was deleted.</summary>
    public const string Truncated = "truncated";

    /// <summary>An anchored entry has another hash: the chain was rebuilt from an earlier entry on.</summary>
    public const string Rewritten = "rewritten";

    /// <summary>The anchor's signature does not verify under the configured key.</summary>
    public const string Forged = "forged";

    /// <summary>What the sink holds is not an anchor, or cannot be read.</summary>
    public const string Unreadable = "unreadable";

    /// <summary>Another instance's anchor, signed with a key this instance does not hold, so it cannot be checked here.</summary>
    public const string OtherKey = "other-key";

    /// <summary>The chain itself breaks before the anchored head, so the anchor could not be compared past that point.</summary>
    public const string Unchecked = "unchecked";
}
