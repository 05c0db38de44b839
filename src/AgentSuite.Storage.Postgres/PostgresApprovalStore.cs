using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Cluster;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// Approval requests shared by every instance. A decision wins once across all of them (the pending status is part of
/// the update's condition), and tells the others in the same transaction, so a turn waiting elsewhere wakes at once.
/// </summary>
public sealed class PostgresApprovalStore(PostgresGovernanceDatabase db) : IApprovalStore
{
    // Arguments, request and comment are text, not jsonb: the canonical JSON the arguments hash binds comes back byte for byte.
    // seq keeps the order requests were made in when two share a requested_at.
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS approvals (
            id              text PRIMARY KEY,
            seq             bigint GENERATED ALWAYS AS IDENTITY,
            conversation_id text NOT NULL,
            run_id          text NOT NULL,
            tool_call_id    text NOT NULL,
            agent           text NOT NULL,
            tool            text NOT NULL,
            arguments       text NOT NULL,
            arguments_hash  text NOT NULL,
            requested_by    text NOT NULL,
            requested_at    timestamptz NOT NULL,
            expires_at      timestamptz NOT NULL,
            reason          text NOT NULL,
            status          text NOT NULL,
            decided_by      text,
            decided_at      timestamptz,
            comment         text,
            request         text,
            agent_path      text[] NOT NULL,
            idempotency_key text
        );
        CREATE INDEX IF NOT EXISTS ix_approvals_call ON approvals (run_id, tool_call_id);
        CREATE INDEX IF NOT EXISTS ix_approvals_status ON approvals (status, requested_at, seq);
        CREATE INDEX IF NOT EXISTS ix_approvals_conversation ON approvals (conversation_id);
        """;

    private const string Columns = """
        id, conversation_id, run_id, tool_call_id, agent, tool, arguments, arguments_hash, requested_by,
        requested_at, expires_at, reason, status, decided_by, decided_at, comment, request, agent_path, idempotency_key
        """;

    public async Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var command = db.DataSource.CreateCommand($"""
            INSERT INTO approvals ({Columns})
            VALUES (@id, @conversation_id, @run_id, @tool_call_id, @agent, @tool, @arguments, @arguments_hash, @requested_by,
                    @requested_at, @expires_at, @reason, @status, @decided_by, @decided_at, @comment, @request, @agent_path, @idempotency_key)
            """);
        var p = command.Parameters;
        p.AddWithValue("id", request.Id);
        p.AddWithValue("conversation_id", request.ConversationId);
        p.AddWithValue("run_id", request.RunId);
        p.AddWithValue("tool_call_id", request.ToolCallId);
        p.AddWithValue("agent", request.Agent);
        p.AddWithValue("tool", request.Tool);
        p.AddWithValue("arguments", request.Arguments);
        p.AddWithValue("arguments_hash", request.ArgumentsHash);
        p.AddWithValue("requested_by", request.RequestedBy);
        p.AddWithValue("requested_at", request.RequestedAt.ToUniversalTime());
        p.AddWithValue("expires_at", request.ExpiresAt.ToUniversalTime());
        p.AddWithValue("reason", request.Reason);
        p.AddWithValue("status", request.Status.ToString());
        p.AddWithValue("decided_by", (object?)request.DecidedBy ?? DBNull.Value);
        p.AddWithValue("decided_at", request.DecidedAt is { } decidedAt ? decidedAt.ToUniversalTime() : DBNull.Value);
        p.AddWithValue("comment", (object?)request.Comment ?? DBNull.Value);
        p.AddWithValue("request", (object?)request.Request ?? DBNull.Value);
        p.AddWithValue("agent_path", request.AgentPath.ToArray());
        p.AddWithValue("idempotency_key", (object?)request.IdempotencyKey ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM approvals WHERE id = @id", [("id", id)], cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ApprovalRequest>> FindByToolCallAsync(string runId, string toolCallId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM approvals WHERE run_id = @run_id AND tool_call_id = @tool_call_id ORDER BY requested_at, seq",
            [("run_id", runId), ("tool_call_id", toolCallId)],
            cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> FindPendingByRunAsync(string runId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM approvals WHERE run_id = @run_id AND status = @status ORDER BY requested_at, seq",
            [("run_id", runId), ("status", nameof(ApprovalStatus.Pending))],
            cancellationToken);

    public async Task<bool> AnyInConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM approvals WHERE conversation_id = @conversation_id)");
        command.Parameters.AddWithValue("conversation_id", conversationId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken = default) =>
        status is { } only
            ? QueryAsync($"SELECT {Columns} FROM approvals WHERE status = @status ORDER BY requested_at, seq", [("status", only.ToString())], cancellationToken)
            : QueryAsync($"SELECT {Columns} FROM approvals ORDER BY requested_at, seq", [], cancellationToken);

    public async Task<bool> TryResolveAsync(string id, ApprovalStatus status, string decidedBy, string? comment, DateTimeOffset decidedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The status check in the WHERE clause is what makes a decision win only once across callers and instances:
        // a second update waits for the first to commit, then finds the row no longer pending.
        await using (var update = new NpgsqlCommand(
            """
            UPDATE approvals SET status = @status, decided_by = @decided_by, decided_at = @decided_at, comment = @comment
            WHERE id = @id AND status = @pending
            """,
            connection,
            transaction))
        {
            update.Parameters.AddWithValue("status", status.ToString());
            update.Parameters.AddWithValue("decided_by", decidedBy);
            update.Parameters.AddWithValue("decided_at", decidedAt.ToUniversalTime());
            update.Parameters.AddWithValue("comment", (object?)comment ?? DBNull.Value);
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("pending", nameof(ApprovalStatus.Pending));
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }

        await using (var notify = new NpgsqlBatch(connection, transaction) { BatchCommands = { PostgresChangeNotice.Command(StoreChangeKind.ApprovalResolved, id) } })
        {
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<IReadOnlyList<ApprovalRequest>> QueryAsync(string sql, (string Name, string Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var results = new List<ApprovalRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(Read(reader));
        }

        return results;
    }

    private static ApprovalRequest Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        ConversationId = r.GetString(1),
        RunId = r.GetString(2),
        ToolCallId = r.GetString(3),
        Agent = r.GetString(4),
        Tool = r.GetString(5),
        Arguments = r.GetString(6),
        ArgumentsHash = r.GetString(7),
        RequestedBy = r.GetString(8),
        RequestedAt = r.GetFieldValue<DateTimeOffset>(9),
        ExpiresAt = r.GetFieldValue<DateTimeOffset>(10),
        Reason = r.GetString(11),
        Status = Enum.Parse<ApprovalStatus>(r.GetString(12)),
        DecidedBy = r.IsDBNull(13) ? null : r.GetString(13),
        DecidedAt = r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14),
        Comment = r.IsDBNull(15) ? null : r.GetString(15),
        Request = r.IsDBNull(16) ? null : r.GetString(16),
        AgentPath = r.GetFieldValue<string[]>(17),
        IdempotencyKey = r.IsDBNull(18) ? null : r.GetString(18),
    };
}
