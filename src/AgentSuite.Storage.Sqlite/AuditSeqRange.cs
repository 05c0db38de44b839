using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Operations;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// The seq range of the audit entries that can fall in a window, found by binary search on the primary key (a few dozen
/// point reads) instead of an index on time that every append would have to write. Each entry is stamped just before it
/// is appended, so times rise with seq except by moments between stamping and commit; <see cref="Slack"/> on each side
/// covers those and small clock steps, and the window's own time bounds are applied to the range afterwards.
/// </summary>
internal static class AuditSeqRange
{
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(10);

    /// <summary>First and last seq to scan; first is greater than last when the audit holds nothing near the window.</summary>
    public static async Task<(long First, long Last)> FindAsync(SqliteConnection connection, SqliteTransaction transaction, MetricsWindow window, CancellationToken cancellationToken)
    {
        await using var bounds = connection.CreateCommand();
        bounds.Transaction = transaction;
        bounds.CommandText = "SELECT (SELECT MIN(seq) FROM audit_log), (SELECT MAX(seq) FROM audit_log)";
        long min, max;
        await using (var reader = await bounds.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            if (reader.IsDBNull(0))
            {
                return (1, 0);
            }

            (min, max) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await using var probe = connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = "SELECT seq, at FROM audit_log WHERE seq >= $seq ORDER BY seq LIMIT 1";
        var seq = probe.Parameters.Add("$seq", SqliteType.Integer);
        var first = await FirstAtOrAfterAsync(probe, seq, AuditChain.FormatTime(window.From - Slack), min, max, cancellationToken);
        var last = await FirstAtOrAfterAsync(probe, seq, AuditChain.FormatTime(window.To + Slack), first, max, cancellationToken) - 1;
        return (first, last);
    }

    /// <summary>The smallest seq in [<paramref name="low"/>, <paramref name="high"/>] stamped at or after <paramref name="time"/>, or high + 1.</summary>
    private static async Task<long> FirstAtOrAfterAsync(SqliteCommand probe, SqliteParameter seq, string time, long low, long high, CancellationToken cancellationToken)
    {
        var end = high + 1;
        while (low < end)
        {
            var middle = low + ((end - low) / 2);
            seq.Value = middle;
            await using var reader = await probe.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                end = middle;
                continue;
            }

            // Times are stored in one fixed-width UTC form, so text order is time order.
            if (string.CompareOrdinal(reader.GetString(1), time) < 0)
            {
                low = reader.GetInt64(0) + 1;
            }
            else
            {
                end = middle;
            }
        }

        return low;
    }
}
