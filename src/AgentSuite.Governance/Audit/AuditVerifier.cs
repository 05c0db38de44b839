namespace AgentSuite.Governance.Audit;

/// <summary>
/// Walks the whole chain in sequence order and names the first entry that is not what was appended.
/// </summary>
/// <remarks>
/// Rules, in order, for the row at position <c>n</c> (expected sequence number <c>n</c>):
/// a row with another number means entries were deleted (or moved) at <c>n</c>; a row whose stored hash does not
/// match its own content was edited or renumbered, so <c>n</c> is bad, unless it verifies under the number right after
/// the entry it is chained to, in which case the rows before it were inserted and the first inserted is bad; a self-consistent row whose previous-hash is
/// not the hash of row <c>n-1</c> either points further back (rows after that point were inserted: the first inserted
/// is bad) or points nowhere we have seen (row <c>n-1</c> was replaced: it is bad). A truncated tail leaves a valid
/// shorter chain: <see cref="AuditAnchorVerifier"/> compares it with the head anchored outside the database.
/// </remarks>
public static class AuditVerifier
{
    private const int LookBack = 4096;

    public static Task<AuditVerification> VerifyAsync(IAuditStore store, CancellationToken cancellationToken = default) =>
        VerifyAsync(store, null, cancellationToken);

    /// <summary>Also hands each entry that verified to <paramref name="verified"/>, in order (the anchor check reads the anchored hashes so).</summary>
    public static async Task<AuditVerification> VerifyAsync(IAuditStore store, Action<AuditRecord>? verified, CancellationToken cancellationToken = default)
    {
        var expectedSeq = 1L;
        var prevHash = AuditChain.Genesis;
        var recent = new Dictionary<string, long>(StringComparer.Ordinal) { [AuditChain.Genesis] = 0 };
        var order = new Queue<string>();

        await foreach (var record in store.ReadAsync(new AuditQuery(), cancellationToken))
        {
            if (record.Seq != expectedSeq)
            {
                return Bad(expectedSeq - 1, prevHash, expectedSeq, record.Seq > expectedSeq
                    ? $"entry {expectedSeq} is missing (next entry is {record.Seq})"
                    : $"entry {record.Seq} appears again or out of order where {expectedSeq} was expected");
            }

            if (!string.Equals(AuditChain.ComputeHash(record.Seq, record.Entry, record.PrevHash), record.Hash, StringComparison.Ordinal))
            {
                // A genuine entry pushed down by insertions still verifies under the number it was appended with.
                if (recent.TryGetValue(record.PrevHash, out var appendedAfter) && appendedAfter < record.Seq - 1
                    && string.Equals(AuditChain.ComputeHash(appendedAfter + 1, record.Entry, record.PrevHash), record.Hash, StringComparison.Ordinal))
                {
                    return Bad(appendedAfter, record.PrevHash, appendedAfter + 1,
                        $"entries {appendedAfter + 1}..{record.Seq - 1} were inserted: entry {record.Seq} was appended as {appendedAfter + 1}, right after entry {appendedAfter}");
                }

                return Bad(expectedSeq - 1, prevHash, record.Seq, $"entry {record.Seq} does not match its hash: it was edited or moved");
            }

            if (!string.Equals(record.PrevHash, prevHash, StringComparison.Ordinal))
            {
                if (recent.TryGetValue(record.PrevHash, out var linkedSeq) && linkedSeq < record.Seq - 1)
                {
                    return Bad(linkedSeq, record.PrevHash, linkedSeq + 1,
                        $"entries {linkedSeq + 1}..{record.Seq - 1} were inserted: entry {record.Seq} follows entry {linkedSeq}");
                }

                return Bad(record.Seq - 2, null, record.Seq - 1,
                    $"entry {record.Seq - 1} is not the entry that entry {record.Seq} was chained to: it was replaced or rewritten");
            }

            verified?.Invoke(record);
            recent[record.Hash] = record.Seq;
            order.Enqueue(record.Hash);
            if (order.Count > LookBack)
            {
                recent.Remove(order.Dequeue());
            }

            prevHash = record.Hash;
            expectedSeq++;
        }

        return new AuditVerification(true, expectedSeq - 1, prevHash, null, null);
    }

    private static AuditVerification Bad(long goodCount, string? goodHead, long firstBad, string problem) =>
        new(false, Math.Max(goodCount, 0), goodHead ?? string.Empty, firstBad, problem);
}
