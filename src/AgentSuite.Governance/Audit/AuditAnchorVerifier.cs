namespace AgentSuite.Governance.Audit;

/// <summary>
/// Walks the chain and compares it with the last anchor: every anchored entry (the head and the checkpoints) must still
/// have its anchored hash, and the chain must be at least as long as the anchor says.
/// </summary>
public static class AuditAnchorVerifier
{
    /// <summary>Reads the anchor before walking the chain, so an anchor written meanwhile never vouches for entries the walk did not reach.</summary>
    public static async Task<AuditReport> VerifyAsync(IAuditStore store, IAuditAnchorSink sink, AuditAnchorKey key, CancellationToken cancellationToken = default)
    {
        AuditAnchor? anchor;
        try
        {
            anchor = await sink.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var chain = await AuditVerifier.VerifyAsync(store, cancellationToken);
            return new AuditReport(chain, new AuditAnchorCheck(AuditAnchorStatus.Unreadable, null, null, $"the audit anchor in {sink.Describe()} cannot be read: {ex.Message}"));
        }

        if (anchor is null)
        {
            return new AuditReport(await AuditVerifier.VerifyAsync(store, cancellationToken), new AuditAnchorCheck(AuditAnchorStatus.None, null, null, null));
        }

        if (!key.Verifies(anchor))
        {
            return new AuditReport(await AuditVerifier.VerifyAsync(store, cancellationToken), Forged(anchor, key, sink));
        }

        var wanted = Points(anchor).Select(p => p.Seq).ToHashSet();
        var seen = new Dictionary<long, string>();
        var verification = await AuditVerifier.VerifyAsync(store, r =>
        {
            if (wanted.Contains(r.Seq))
            {
                seen[r.Seq] = r.Hash;
            }
        }, cancellationToken);
        return new AuditReport(verification, Compare(anchor, verification, seen));
    }

    /// <summary>Compares a chain that verified up to <see cref="AuditVerification.Count"/> with a signed anchor, given the hashes the walk saw at the anchored entries.</summary>
    public static AuditAnchorCheck Compare(AuditAnchor anchor, AuditVerification chain, IReadOnlyDictionary<long, string> seen)
    {
        var lastMatching = 0L;
        foreach (var point in Points(anchor))
        {
            if (!seen.TryGetValue(point.Seq, out var hash))
            {
                break;
            }

            if (!string.Equals(hash, point.Hash, StringComparison.Ordinal))
            {
                var range = lastMatching + 1 == point.Seq ? $"{point.Seq}" : $"one of {lastMatching + 1}..{point.Seq}";
                return new AuditAnchorCheck(AuditAnchorStatus.Rewritten, anchor, lastMatching + 1,
                    $"entry {point.Seq} is not the entry anchored at {anchor.At}: the chain was rebuilt from entry {range} on"
                    + (lastMatching > 0 ? $" (entries up to {lastMatching} still match the anchor)" : ""));
            }

            lastMatching = point.Seq;
        }

        if (anchor.Count <= chain.Count)
        {
            return new AuditAnchorCheck(AuditAnchorStatus.Matches, anchor, null, null);
        }

        return chain.Ok
            ? new AuditAnchorCheck(AuditAnchorStatus.Truncated, anchor, chain.Count + 1,
                $"entries {chain.Count + 1}..{anchor.Count} are missing: the chain ends at entry {chain.Count}, but the anchor signed at {anchor.At} vouches for {anchor.Count} entries; its tail was deleted")
            : new AuditAnchorCheck(AuditAnchorStatus.Unchecked, anchor, null,
                $"the chain breaks at entry {chain.FirstBadSeq}, before the anchored head {anchor.HeadSeq}, so it was compared with the anchor only up to entry {chain.Count}");
    }

    /// <summary>A signature that does not verify, told apart: signed with another key, or altered after signing.</summary>
    public static AuditAnchorCheck Forged(AuditAnchor anchor, AuditAnchorKey key, IAuditAnchorSink sink) =>
        new(AuditAnchorStatus.Forged, anchor, null, string.Equals(anchor.KeyId, key.Id, StringComparison.Ordinal)
            ? $"the audit anchor in {sink.Describe()} does not verify: it was altered after it was signed (it claims {anchor.Count} entries, head hash {anchor.HeadHash})"
            : $"the audit anchor in {sink.Describe()} is signed with another key (key id {anchor.KeyId ?? "none"}, this Api's is {key.Id}): it was forged, or the key was changed");

    /// <summary>The anchored entries, oldest first; the empty chain's head (entry 0) has nothing to compare.</summary>
    private static IEnumerable<AuditCheckpoint> Points(AuditAnchor anchor) =>
        anchor.Checkpoints.Append(new AuditCheckpoint(anchor.HeadSeq, anchor.HeadHash)).Where(p => p.Seq > 0).OrderBy(p => p.Seq);
}
