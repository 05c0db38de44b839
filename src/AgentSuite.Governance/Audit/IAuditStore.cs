namespace AgentSuite.Governance.Audit;

/// <summary>
/// The append-only, hash-chained audit log. <see cref="AppendAsync"/> returns only once the entry is durable to the
/// store's stated guarantee; if it throws, the caller must treat the audited action as not allowed.
/// </summary>
public interface IAuditStore
{
    ValueTask<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries in ascending sequence order.</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
