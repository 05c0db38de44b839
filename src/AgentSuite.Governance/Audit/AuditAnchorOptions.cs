namespace AgentSuite.Governance.Audit;

/// <summary>
/// <c>Governance:Audit:Anchor</c>: where the signed head of the audit chain is kept and with which key. Read at start.
/// </summary>
public sealed class AuditAnchorOptions
{
    /// <summary>
    /// The HMAC key, base64 of at least 32 bytes (e.g. <c>openssl rand -base64 32</c>), from user-secrets or the
    /// environment; never in a file the database's writers can read. Empty: the key in <see cref="KeyFile"/>.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>Where the key is kept when <see cref="Key"/> is empty; created (mode 0600) on first start. Default <c>audit-anchor.key</c> beside the database.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Where the default sink writes the anchor. Default <c>audit-anchor.json</c> beside the database.</summary>
    public string? File { get; set; }

    /// <summary>The anchor is signed and written again once this many entries were appended since the last; also after the start-up check and at shutdown.</summary>
    public int EveryEntries { get; set; } = 100;
}
