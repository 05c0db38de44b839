using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Operations;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// The operations figures from the SQLite file, in one read transaction so every figure sees the same moment. Turns come
/// from the turns table by its end time (indexed); the audit has no time index, to keep an append to one page, so the
/// window's entries are found as a range of seq (<see cref="AuditSeqRange"/>) and counted there, grouped in SQL.
/// </summary>
public sealed class SqliteOperationsMetrics(SqliteGovernanceDatabase db) : IOperationsMetrics
{
    private static readonly string TurnsSql = $"""
        SELECT status, (unixepoch(ended_at, 'subsec') - unixepoch(started_at, 'subsec')) * 1000.0, {BucketOf("ended_at")}
        FROM turns WHERE ended_at >= $from AND ended_at < $to
        """;

    // One pass over the window's entries, grouped: counts per kind, label (a denial's stage, a failure's tool) and bucket;
    // a resolution's wait comes from its request's time in the approvals table, one primary-key lookup away.
    private static readonly string AuditSql = $"""
        SELECT a.kind,
               CASE a.kind WHEN '{GovernanceEventTypes.ToolDecision}' THEN json_extract(a.data, '$.stage') WHEN '{GovernanceEventTypes.ToolFailed}' THEN a.tool END,
               {BucketOf("a.at")},
               CASE a.kind WHEN '{ApprovalResolved}' THEN unixepoch(a.at, 'subsec')
                   - unixepoch((SELECT requested_at FROM approvals WHERE id = json_extract(a.data, '$.approvalId')), 'subsec') END,
               COUNT(*)
        FROM audit_log a
        WHERE a.seq >= $first AND a.seq <= $last AND a.at >= $from AND a.at < $to
          AND (a.kind = '{ApprovalRequested}'
               OR (a.kind = '{ApprovalResolved}' AND a.decision IN ('approved', 'denied', 'timed_out'))
               OR (a.kind = '{GovernanceEventTypes.ToolDecision}' AND a.decision = 'denied')
               OR (a.kind = '{GovernanceEventTypes.ToolFailed}' AND a.decision = 'failed'))
        GROUP BY 1, 2, 3, 4
        """;

    private const string ApprovalRequested = OperationsTally.ApprovalRequested;
    private const string ApprovalResolved = OperationsTally.ApprovalResolved;

    public async Task<OperationsWindow> ReadAsync(MetricsWindow window, CancellationToken cancellationToken = default)
    {
        var tally = new OperationsTally(window);
        await using var connection = db.Open();
        await using var transaction = connection.BeginTransaction(deferred: true);

        await using (var turns = Command(connection, transaction, TurnsSql, window))
        await using (var reader = await turns.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tally.AddTurn(reader.GetString(0), reader.GetDouble(1), reader.GetInt64(2));
            }
        }

        var (first, last) = await AuditSeqRange.FindAsync(connection, transaction, window, cancellationToken);
        if (first <= last)
        {
            await using var audit = Command(connection, transaction, AuditSql, window, first, last);
            await using var reader = await audit.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var label = reader.IsDBNull(1) ? null : reader.GetString(1);
                tally.AddAuditCount(reader.GetString(0), label, reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.GetInt64(4));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return tally.Build();
    }

    // unixepoch() reads the stored round-trip times (seven fractional digits and an offset) to the millisecond.
    private static string BucketOf(string column) => $"CAST((unixepoch({column}, 'subsec') - unixepoch($from, 'subsec')) / $bucket AS INTEGER)";

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, MetricsWindow window, long first = 0, long last = 0)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$from", AuditChain.FormatTime(window.From));
        command.Parameters.AddWithValue("$to", AuditChain.FormatTime(window.To));
        command.Parameters.AddWithValue("$bucket", window.BucketSeconds);
        command.Parameters.AddWithValue("$first", first);
        command.Parameters.AddWithValue("$last", last);
        return command;
    }
}
