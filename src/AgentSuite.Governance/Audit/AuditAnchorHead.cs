namespace AgentSuite.Governance.Audit;

/// <summary>
/// The newest entry this process appended, kept off the append path's cost: an append only swaps a reference, and
/// every <see cref="EveryEntries"/> entries it wakes the anchor writer, which signs and writes in the background.
/// </summary>
public sealed class AuditAnchorHead : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);
    private AuditRecord? _latest;
    private long _wokenAt;

    public int EveryEntries { get; set; } = 100;

    public AuditRecord? Latest => Volatile.Read(ref _latest);

    /// <summary>Called with each appended entry; records arrive out of order from concurrent appenders, so the highest wins.</summary>
    public void Observe(AuditRecord record)
    {
        var current = Volatile.Read(ref _latest);
        while (current is null || current.Seq < record.Seq)
        {
            var seen = Interlocked.CompareExchange(ref _latest, record, current);
            if (ReferenceEquals(seen, current))
            {
                if (record.Seq - Volatile.Read(ref _wokenAt) >= EveryEntries)
                {
                    // Two appenders may both wake the writer here; the second finds nothing new to write.
                    Volatile.Write(ref _wokenAt, record.Seq);
                    _wake.Release();
                }

                return;
            }

            current = seen;
        }
    }

    /// <summary>Counts the next <see cref="EveryEntries"/> from <paramref name="seq"/>, the head just anchored.</summary>
    public void AnchoredAt(long seq) => Volatile.Write(ref _wokenAt, seq);

    public Task WaitAsync(CancellationToken cancellationToken) => _wake.WaitAsync(cancellationToken);

    public void Dispose() => _wake.Dispose();
}
