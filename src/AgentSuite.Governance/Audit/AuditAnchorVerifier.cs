namespace AgentSuite.Governance.Audit;

/// <summary>
/// Walks the chain and compares it with the last anchor: every anchored entry (the head and the checkpoints) must still
/// have its anchored hash, and the chain must be at least as long as the anchor says.
/// </summary>
public static class AuditAnchorVerifier
{
    /// <summary>Reads the anchor before walking the chain, so an anchor written meanwhile never vouches for entries the walk did not reach.</summary>
    public static Task<AuditReport> VerifyAsync(IAuditStore store, IAuditAnchorSink sink, AuditAnchorKey key, CancellationToken cancellationToken = default) =>
        VerifyAsync(store, sink, key, peers: null, ownSource: null, cancellationToken);

    /// <summary>
    /// Also compares the chain with every anchor other instances published to <paramref name="peers"/> (all but
    /// <paramref name="ownSource"/>, this instance's own copy): one walk checks them all. They too are read before the walk.
    /// </summary>
    public static async Task<AuditReport> VerifyAsync(
        IAuditStore store, IAuditAnchorSink sink, AuditAnchorKey key, IAuditAnchorPeers? peers, string? ownSource, CancellationToken cancellationToken = default)
    {
        AuditAnchor? anchor = null;
        AuditAnchorCheck? check = null;
        try
        {
            anchor = await sink.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            check = new AuditAnchorCheck(AuditAnchorStatus.Unreadable, null, null, $"the audit anchor in {sink.Describe()} cannot be read: {ex.Message}");
        }

        if (anchor is null)
        {
            check ??= new AuditAnchorCheck(AuditAnchorStatus.None, null, null, null);
        }
        else if (!key.Verifies(anchor))
        {
            check = Forged(anchor, key, sink);
            anchor = null;
        }

        var peerChecks = new List<AuditPeerCheck>();
        var comparable = new List<(string Source, AuditAnchor Anchor)>();
        foreach (var peer in peers is null ? [] : await peers.ReadAsync(cancellationToken))
        {
            if (string.Equals(peer.Source, ownSource, StringComparison.Ordinal))
            {
                continue;
            }

            if (peer.Anchor is not { } published)
            {
                peerChecks.Add(new AuditPeerCheck(peer.Source, new AuditAnchorCheck(AuditAnchorStatus.Unreadable, null, null,
                    $"its copy in {peers!.Describe()} is not an audit anchor: {peer.Unreadable}")));
            }
            else if (key.Verifies(published))
            {
                comparable.Add((peer.Source, published));
            }
            else
            {
                peerChecks.Add(new AuditPeerCheck(peer.Source, string.Equals(published.KeyId, key.Id, StringComparison.Ordinal)
                    ? new AuditAnchorCheck(AuditAnchorStatus.Forged, published, null, $"its copy in {peers!.Describe()} does not verify: it was altered after it was signed (it claims {published.Count} entries)")
                    : new AuditAnchorCheck(AuditAnchorStatus.OtherKey, published, null, $"signed with another key (key id {published.KeyId ?? "none"}, this instance's is {key.Id}), so it is checked only by its own instance")));
            }
        }

        var anchors = comparable.Select(c => c.Anchor).Prepend(anchor).OfType<AuditAnchor>().ToList();
        var wanted = anchors.SelectMany(Points).Select(p => p.Seq).ToHashSet();
        var seen = new Dictionary<long, string>();
        var verification = await AuditVerifier.VerifyAsync(store, wanted.Count == 0 ? null : r =>
        {
            if (wanted.Contains(r.Seq))
            {
                seen[r.Seq] = r.Hash;
            }
        }, cancellationToken);
        peerChecks.AddRange(comparable.Select(c => new AuditPeerCheck(c.Source, Compare(c.Anchor, verification, seen))));
        return new AuditReport(verification, check ?? Compare(anchor!, verification, seen))
        {
            Peers = peerChecks.OrderBy(p => p.Source, StringComparer.Ordinal).ToList(),
        };
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
