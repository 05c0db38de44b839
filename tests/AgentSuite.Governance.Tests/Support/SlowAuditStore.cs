using AgentSuite.Governance.Audit;

namespace AgentSuite.Governance.Tests.Support;

/// <summary>
/// The real SQLite audit store behind a slow disk: every append waits first, so an append that is not awaited would
/// still be in flight. <see cref="Durable"/> lists what has been committed, in order; an append of a decision named in
/// <see cref="FailDecision"/> fails after the wait, as a disk error would.
/// </summary>
public sealed class SlowAuditStore(IAuditStore inner, TimeSpan delay) : IAuditStore
{
    private readonly List<string> _durable = [];

    public string? FailDecision { get; set; }

    /// <summary>"toolCallId:decision" of every committed entry, in commit order.</summary>
    public IReadOnlyList<string> Durable
    {
        get
        {
            lock (_durable)
            {
                return [.. _durable];
            }
        }
    }

    public async ValueTask<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await Task.Delay(delay, CancellationToken.None);
        if (entry.Decision is { } decision && decision == FailDecision)
        {
            throw new IOException("disk I/O error (simulated, after a slow write)");
        }

        var record = await inner.AppendAsync(entry, cancellationToken);
        lock (_durable)
        {
            _durable.Add($"{entry.ToolCallId}:{entry.Decision}");
        }

        return record;
    }

    public IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default) => inner.ReadAsync(query, cancellationToken);
}
