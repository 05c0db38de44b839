namespace AgentSuite.Governance.Audit;

/// <summary>
/// An audit store that tells <see cref="AuditAnchorHead"/> about every entry it appended, so the head can be anchored
/// outside the database. Everything else passes through to the store it wraps.
/// </summary>
public sealed class AnchoredAuditStore(IAuditStore inner, AuditAnchorHead head) : IAuditStore
{
    public ValueTask<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var append = inner.AppendAsync(entry, cancellationToken);
        if (append.IsCompletedSuccessfully)
        {
            var record = append.Result;
            head.Observe(record);
            return new ValueTask<AuditRecord>(record);
        }

        return ObserveAsync(append);
    }

    public IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(query, cancellationToken);

    private async ValueTask<AuditRecord> ObserveAsync(ValueTask<AuditRecord> append)
    {
        var record = await append.ConfigureAwait(false);
        head.Observe(record);
        return record;
    }
}
