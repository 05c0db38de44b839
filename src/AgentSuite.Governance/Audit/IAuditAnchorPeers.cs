namespace AgentSuite.Governance.Audit;

/// <summary>
/// Copies of the signed anchors of every instance that appends to one shared audit chain, kept where all of them reach
/// (the shared database), so that each instance checks the chain against all of them together. Each instance's own
/// anchor stays authoritative where its <see cref="IAuditAnchorSink"/> keeps it, outside the database; a copy here can
/// be deleted by someone with write access to the database, but not forged without the key.
/// </summary>
public interface IAuditAnchorPeers
{
    /// <summary>Replaces the copy published under <paramref name="source"/> (one instance's anchor location).</summary>
    ValueTask PublishAsync(string source, AuditAnchor anchor, CancellationToken cancellationToken = default);

    /// <summary>Every published copy, one per source.</summary>
    ValueTask<IReadOnlyList<AuditPeerAnchor>> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Where the copies are kept, for log lines and problems.</summary>
    string Describe();
}
