namespace AgentSuite.Governance.Audit;

/// <summary>
/// Checks an exported slice of the chain without the database: each entry's hash is recomputed from its fields and
/// prevHash (<see cref="AuditChain"/>), and an entry whose seq follows the previous one must link to it. The first
/// entry's prevHash is taken as given, so a slice may start mid-chain. A gap in seq fails (an entry was removed)
/// unless gaps are allowed, for a filtered export; they are then counted, and only consecutive entries are linked.
/// </summary>
public static class AuditSliceVerifier
{
    /// <summary>Verifies JSON Lines as <see cref="AuditJsonLine"/> writes them; blank lines are skipped.</summary>
    public static async Task<AuditSliceReport> VerifyAsync(TextReader lines, bool allowGaps = false, CancellationToken cancellationToken = default)
    {
        long count = 0, gaps = 0, lineNumber = 0;
        AuditRecord? previous = null;
        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            AuditRecord record;
            try
            {
                record = AuditJsonLine.Parse(line);
            }
            catch (FormatException ex)
            {
                return new AuditSliceReport(false, count, gaps, previous?.Hash, null, $"line {lineNumber} is not an audit entry: {ex.Message}");
            }

            var computed = AuditChain.ComputeHash(record.Seq, record.Entry, record.PrevHash);
            if (!string.Equals(computed, record.Hash, StringComparison.Ordinal))
            {
                return new AuditSliceReport(false, count, gaps, previous?.Hash, record.Seq,
                    $"entry {record.Seq} (line {lineNumber}) was changed: its fields and prevHash hash to {computed}, not the {record.Hash} it carries.");
            }

            if (previous is not null)
            {
                if (record.Seq <= previous.Seq)
                {
                    return new AuditSliceReport(false, count, gaps, previous.Hash, record.Seq,
                        $"entry {record.Seq} (line {lineNumber}) comes after entry {previous.Seq}; an export is in seq order.");
                }

                if (record.Seq == previous.Seq + 1 && !string.Equals(record.PrevHash, previous.Hash, StringComparison.Ordinal))
                {
                    return new AuditSliceReport(false, count, gaps, previous.Hash, record.Seq,
                        $"entry {record.Seq} (line {lineNumber}) does not link to entry {previous.Seq}: its prevHash is {record.PrevHash}, entry {previous.Seq}'s hash is {previous.Hash}.");
                }

                if (record.Seq != previous.Seq + 1)
                {
                    if (!allowGaps)
                    {
                        return new AuditSliceReport(false, count, gaps, previous.Hash, record.Seq,
                            $"entry {record.Seq} (line {lineNumber}) follows entry {previous.Seq}: entries {previous.Seq + 1} to {record.Seq - 1} are missing (for a filtered export, allow gaps).");
                    }

                    gaps++;
                }
            }

            count++;
            previous = record;
        }

        return new AuditSliceReport(true, count, gaps, previous?.Hash, null, null);
    }
}
