using AgentSuite.Governance;
using AgentSuite.Governance.Operations;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The operations figures from the shared database, in one repeatable-read transaction so every figure sees the same
/// moment, whichever instance wrote the rows. Turns come from the turns table by end time (indexed); the window's audit
/// entries are found through the audit's time index and counted grouped in SQL, as on SQLite. The turns and approvals
/// tables belong to their own stores: a database without one (a store not registered) counts nothing from it.
/// </summary>
public sealed class PostgresOperationsMetrics(PostgresGovernanceDatabase db) : IOperationsMetrics
{
    private const string ApprovalRequested = OperationsTally.ApprovalRequested;
    private const string ApprovalResolved = OperationsTally.ApprovalResolved;

    private const string TablesSql = "SELECT to_regclass('turns') IS NOT NULL, to_regclass('approvals') IS NOT NULL";

    private static readonly string TurnsSql = $"""
        SELECT status, EXTRACT(EPOCH FROM ended_at - started_at)::float8 * 1000.0, {BucketOf("ended_at")}
        FROM turns WHERE ended_at >= @from AND ended_at < @to
        """;

    public async Task<OperationsWindow> ReadAsync(MetricsWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var tally = new OperationsTally(window);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        bool hasTurns, hasApprovals;
        await using (var tables = new NpgsqlCommand(TablesSql, connection, transaction))
        await using (var reader = await tables.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (hasTurns, hasApprovals) = (reader.GetBoolean(0), reader.GetBoolean(1));
        }

        if (hasTurns)
        {
            await using var turns = Command(connection, transaction, TurnsSql, window);
            await using var reader = await turns.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tally.AddTurn(reader.GetString(0), reader.GetDouble(1), reader.GetInt64(2));
            }
        }

        await using (var audit = Command(connection, transaction, AuditSql(hasApprovals), window))
        await using (var reader = await audit.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var label = reader.IsDBNull(1) ? null : reader.GetString(1);
                tally.AddAuditCount(reader.GetString(0), label, reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.GetInt64(4));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return tally.Build();
    }

    // One pass over the window's entries, grouped: counts per kind, label (a denial's stage, a failure's tool) and bucket;
    // a resolution's wait comes from its request's time in the approvals table, one primary-key lookup away.
    private static string AuditSql(bool hasApprovals)
    {
        var wait = hasApprovals
            ? "EXTRACT(EPOCH FROM a.at - (SELECT requested_at FROM approvals WHERE id = a.data::jsonb ->> 'approvalId'))::float8"
            : "NULL::float8";
        return $"""
            SELECT a.kind,
                   CASE a.kind WHEN '{GovernanceEventTypes.ToolDecision}' THEN a.data::jsonb ->> 'stage' WHEN '{GovernanceEventTypes.ToolFailed}' THEN a.tool END,
                   {BucketOf("a.at")},
                   CASE a.kind WHEN '{ApprovalResolved}' THEN {wait} END,
                   COUNT(*)
            FROM audit_log a
            WHERE a.at >= @from AND a.at < @to
              AND (a.kind = '{ApprovalRequested}'
                   OR (a.kind = '{ApprovalResolved}' AND a.decision IN ('approved', 'denied', 'timed_out'))
                   OR (a.kind = '{GovernanceEventTypes.ToolDecision}' AND a.decision = 'denied')
                   OR (a.kind = '{GovernanceEventTypes.ToolFailed}' AND a.decision = 'failed'))
            GROUP BY 1, 2, 3, 4
            """;
    }

    private static string BucketOf(string column) => $"floor(EXTRACT(EPOCH FROM {column} - @from) / @bucket)::bigint";

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, MetricsWindow window)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("from", window.From.ToUniversalTime());
        command.Parameters.AddWithValue("to", window.To.ToUniversalTime());
        command.Parameters.AddWithValue("bucket", (double)window.BucketSeconds);
        return command;
    }
}
