using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.Audit;

/// <summary>
/// Keeps the audit chain's head anchored outside the database. At start it walks the chain and compares it with the
/// last anchor, then anchors the verified head; while running it anchors the newest entry every
/// <see cref="AuditAnchorOptions.EveryEntries"/> entries (woken by <see cref="AuditAnchorHead"/>, off the append path);
/// at shutdown it anchors the last. Once a mismatch is found the anchor is never advanced again by this process, so
/// the evidence stays in it, and <see cref="Problem"/> says what was found. When several instances append to one
/// shared chain, each keeps its own anchor and also publishes a copy to <see cref="IAuditAnchorPeers"/>, and every check
/// compares the chain with all of them.
/// </summary>
public sealed class AuditAnchorService(
    IAuditStore audit,
    AuditAnchorHead head,
    IAuditAnchorSink sink,
    AuditAnchorKey key,
    TimeProvider time,
    ILogger<AuditAnchorService> logger,
    IAuditAnchorPeers? peers = null) : IHostedService, IDisposable
{
    private const int MaxCheckpoints = 64;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private AuditAnchor? _anchored;
    private volatile string? _mismatch;
    private volatile string? _writeError;

    /// <summary>Why the audit cannot be vouched for, or null: a mismatch with the anchor (kept until restart), or an anchor that could not be written.</summary>
    public string? Problem => _mismatch ?? _writeError;

    /// <summary>The last anchor this process wrote.</summary>
    public AuditAnchor? Anchored => Volatile.Read(ref _anchored);

    /// <summary>This instance's anchor among the published ones: the machine and where its sink keeps it, stable across restarts.</summary>
    public string Source { get; } = $"{Environment.MachineName}:{sink.Describe()}";

    /// <summary>The whole chain and the kept anchor, and the anchors other instances published, compared (<c>GET /api/audit/verify</c>).</summary>
    public Task<AuditReport> VerifyAsync(CancellationToken cancellationToken = default) =>
        AuditAnchorVerifier.VerifyAsync(audit, sink, key, peers, Source, cancellationToken);

    /// <summary>The kept anchor as the sink holds it, or null when none was written.</summary>
    public ValueTask<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default) => sink.ReadAsync(cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        AuditReport report;
        try
        {
            report = await VerifyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store's own health check reports a store that cannot be read; the Api still starts and says so.
            logger.LogCritical(ex, "The audit chain could not be read to compare it with its anchor in {Sink}.", sink.Describe());
            _mismatch = $"the audit chain could not be compared with its anchor at start: {ex.Message}";
            return;
        }

        if (!report.Ok)
        {
            Mismatch(report.Problem ?? "the audit chain does not verify");
            return;
        }

        foreach (var peer in report.Peers.Where(p => p.Check.Status == AuditAnchorStatus.OtherKey))
        {
            logger.LogWarning(
                "The audit anchor of the instance at {Peer} is {Reason}: give every instance sharing the audit chain the same Governance:Audit:Anchor:Key so that each checks them all.",
                peer.Source, peer.Check.Problem);
        }

        if (report.Anchor.Status == AuditAnchorStatus.None && report.Chain.Count > 0)
        {
            logger.LogWarning(
                "The audit chain has {Count} entries but no anchor in {Sink}: anchoring its head now. Entries deleted before now cannot be told apart from entries never written.",
                report.Chain.Count, sink.Describe());
        }

        Volatile.Write(ref _anchored, report.Anchor.Anchor);
        await WriteAsync(report.Chain.Count, report.Chain.HeadHash, cancellationToken);
        _loop = RunAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop;
        if (head.Latest is { } latest && latest.Seq > (Anchored?.HeadSeq ?? 0))
        {
            await WriteAsync(latest.Seq, latest.Hash, CancellationToken.None);
        }
    }

    /// <summary>
    /// A cheap look for <c>/health</c>: the kept anchor still verifies and the entry it names still has its hash. The
    /// whole chain is walked only at start and by <see cref="VerifyAsync"/>.
    /// </summary>
    public async Task<string?> CheckHeadAsync(CancellationToken cancellationToken = default)
    {
        if (Problem is { } known)
        {
            return known;
        }

        AuditAnchor? anchor;
        try
        {
            anchor = await sink.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return $"the audit anchor in {sink.Describe()} cannot be read: {ex.Message}";
        }

        if (anchor is null)
        {
            return Anchored is null ? null : Mismatch($"the audit anchor in {sink.Describe()} is gone: it was deleted after this process wrote it");
        }

        if (!key.Verifies(anchor))
        {
            return Mismatch(AuditAnchorVerifier.Forged(anchor, key, sink).Problem!);
        }

        return await HeadProblemAsync(anchor, cancellationToken) is { } problem ? Mismatch(problem) : null;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _writeGate.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await head.WaitAsync(stopping);
                if (head.Latest is { } latest && latest.Seq > (Anchored?.HeadSeq ?? 0))
                {
                    await WriteAsync(latest.Seq, latest.Hash, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Signs and writes the head (seq, hash), after checking that the head anchored before it is still in the store.</summary>
    private async Task WriteAsync(long seq, string hash, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var previous = Anchored;
            if (_mismatch is not null || (previous is not null && seq < previous.HeadSeq))
            {
                return;
            }

            if (previous is not null && await HeadProblemAsync(previous, cancellationToken) is { } problem)
            {
                Mismatch(problem);
                return;
            }

            var anchor = key.Sign(new AuditAnchor
            {
                Count = seq,
                HeadSeq = seq,
                HeadHash = hash,
                At = AuditChain.FormatTime(time.GetUtcNow()),
                Checkpoints = Checkpoints(previous, seq),
            });
            await sink.WriteAsync(anchor, cancellationToken);
            Volatile.Write(ref _anchored, anchor);
            head.AnchoredAt(seq);
            _writeError = null;
            await PublishAsync(anchor, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _writeError = $"the audit anchor could not be written to {sink.Describe()}: {ex.Message}";
            logger.LogError(ex, "The audit anchor could not be written to {Sink}; it is tried again after the next {Every} entries and at shutdown.", sink.Describe(), head.EveryEntries);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The copy for the other instances; the anchor itself is already kept, so a failure here is logged, not a problem of the audit.</summary>
    private async Task PublishAsync(AuditAnchor anchor, CancellationToken cancellationToken)
    {
        if (peers is null)
        {
            return;
        }

        try
        {
            await peers.PublishAsync(Source, anchor, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The audit anchor could not be published to {Peers} for the other instances to check; it is published again with the next anchor.", peers.Describe());
        }
    }

    /// <summary>Null when entry <see cref="AuditAnchor.HeadSeq"/> of <paramref name="anchor"/> is in the store with its anchored hash.</summary>
    private async Task<string?> HeadProblemAsync(AuditAnchor anchor, CancellationToken cancellationToken)
    {
        if (anchor.HeadSeq == 0)
        {
            return null;
        }

        AuditRecord? found = null;
        await foreach (var record in audit.ReadAsync(new AuditQuery(AfterSeq: anchor.HeadSeq - 1, Limit: 1), cancellationToken))
        {
            found = record;
        }

        if (found is null || found.Seq != anchor.HeadSeq)
        {
            return $"entry {anchor.HeadSeq}, the head anchored at {anchor.At}, is missing: the tail of the chain was deleted (GET /api/audit/verify names the first missing entry)";
        }

        return string.Equals(found.Hash, anchor.HeadHash, StringComparison.Ordinal)
            ? null
            : $"entry {anchor.HeadSeq} is not the entry anchored at {anchor.At}: the chain was rebuilt (GET /api/audit/verify names where)";
    }

    /// <summary>The previous anchor's checkpoints and head; past <see cref="MaxCheckpoints"/>, every other older one is dropped, so they thin out with age but still span the whole chain.</summary>
    private static List<AuditCheckpoint> Checkpoints(AuditAnchor? previous, long seq)
    {
        var checkpoints = new List<AuditCheckpoint>(previous?.Checkpoints ?? []);
        if (previous is { HeadSeq: > 0 } && previous.HeadSeq < seq)
        {
            checkpoints.Add(new AuditCheckpoint(previous.HeadSeq, previous.HeadHash));
        }

        if (checkpoints.Count > MaxCheckpoints)
        {
            checkpoints = checkpoints.Where((_, i) => (checkpoints.Count - 1 - i) % 2 == 0).ToList();
        }

        return checkpoints;
    }

    private string Mismatch(string problem)
    {
        if (_mismatch is null)
        {
            _mismatch = problem;
            logger.LogCritical(
                "AUDIT TAMPERING: {Problem}. The anchor in {Sink} is kept as it is and not advanced while this process runs; /health reports Degraded. See docs/governance.md (The audit anchor) for what to do.",
                problem, sink.Describe());
        }

        return _mismatch;
    }
}
