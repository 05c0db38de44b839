namespace AgentSuite.Governance.Audit;

/// <summary>
/// Where the signed anchor of the audit chain's head is kept. The default is a file beside the database
/// (<see cref="FileAuditAnchorSink"/>); a fork registers its own (another host, write-once storage) in its place.
/// </summary>
public interface IAuditAnchorSink
{
    /// <summary>Replaces the kept anchor; returns once it is durable.</summary>
    ValueTask WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default);

    /// <summary>The last anchor written, or null when none was ever written. Throws when what is kept cannot be read as an anchor.</summary>
    ValueTask<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Where the anchor is kept, for log lines and problems.</summary>
    string Describe();
}
