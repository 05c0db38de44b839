using System.Globalization;
using System.Text.Json;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteApprovalStore(SqliteGovernanceDatabase db) : IApprovalStore
{
    private const string Columns = """
        id, conversation_id, run_id, tool_call_id, agent, tool, arguments, arguments_hash, requested_by,
        requested_at, expires_at, reason, status, decided_by, decided_at, comment, request, agent_path, idempotency_key
        """;

    public async Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO approvals ({Columns})
            VALUES (@id, @conversation_id, @run_id, @tool_call_id, @agent, @tool, @arguments, @arguments_hash, @requested_by,
                    @requested_at, @expires_at, @reason, @status, @decided_by, @decided_at, @comment, @request, @agent_path, @idempotency_key)
            """;
        var p = command.Parameters;
        p.AddWithValue("@id", request.Id);
        p.AddWithValue("@conversation_id", request.ConversationId);
        p.AddWithValue("@run_id", request.RunId);
        p.AddWithValue("@tool_call_id", request.ToolCallId);
        p.AddWithValue("@agent", request.Agent);
        p.AddWithValue("@tool", request.Tool);
        p.AddWithValue("@arguments", request.Arguments);
        p.AddWithValue("@arguments_hash", request.ArgumentsHash);
        p.AddWithValue("@requested_by", request.RequestedBy);
        p.AddWithValue("@requested_at", AuditChain.FormatTime(request.RequestedAt));
        p.AddWithValue("@expires_at", AuditChain.FormatTime(request.ExpiresAt));
        p.AddWithValue("@reason", request.Reason);
        p.AddWithValue("@status", request.Status.ToString());
        p.AddWithValue("@decided_by", (object?)request.DecidedBy ?? DBNull.Value);
        p.AddWithValue("@decided_at", request.DecidedAt is { } decidedAt ? AuditChain.FormatTime(decidedAt) : DBNull.Value);
        p.AddWithValue("@comment", (object?)request.Comment ?? DBNull.Value);
        p.AddWithValue("@request", (object?)request.Request ?? DBNull.Value);
        p.AddWithValue("@agent_path", JsonSerializer.Serialize(request.AgentPath));
        p.AddWithValue("@idempotency_key", (object?)request.IdempotencyKey ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM approvals WHERE id = @id", [("@id", id)], cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ApprovalRequest>> FindByToolCallAsync(string runId, string toolCallId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM approvals WHERE run_id = @run_id AND tool_call_id = @tool_call_id ORDER BY requested_at, rowid",
            [("@run_id", runId), ("@tool_call_id", toolCallId)],
            cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> FindPendingByRunAsync(string runId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM approvals WHERE run_id = @run_id AND status = @status ORDER BY requested_at, rowid",
            [("@run_id", runId), ("@status", nameof(ApprovalStatus.Pending))],
            cancellationToken);

    public async Task<bool> AnyInConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM approvals WHERE conversation_id = @conversation_id)";
        command.Parameters.AddWithValue("@conversation_id", conversationId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken = default) =>
        status is { } only
            ? QueryAsync($"SELECT {Columns} FROM approvals WHERE status = @status ORDER BY requested_at, rowid", [("@status", only.ToString())], cancellationToken)
            : QueryAsync($"SELECT {Columns} FROM approvals ORDER BY requested_at, rowid", [], cancellationToken);

    public async Task<bool> TryResolveAsync(string id, ApprovalStatus status, string decidedBy, string? comment, DateTimeOffset decidedAt, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();

        // The status check in the WHERE clause is what makes a decision win only once across callers and processes.
        command.CommandText = """
            UPDATE approvals SET status = @status, decided_by = @decided_by, decided_at = @decided_at, comment = @comment
            WHERE id = @id AND status = @pending
            """;
        command.Parameters.AddWithValue("@status", status.ToString());
        command.Parameters.AddWithValue("@decided_by", decidedBy);
        command.Parameters.AddWithValue("@decided_at", AuditChain.FormatTime(decidedAt));
        command.Parameters.AddWithValue("@comment", (object?)comment ?? DBNull.Value);
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@pending", nameof(ApprovalStatus.Pending));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<ApprovalRequest>> QueryAsync(string sql, (string Name, string Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
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

    private static ApprovalRequest Read(SqliteDataReader r) => new()
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
        RequestedAt = ParseTime(r.GetString(9)),
        ExpiresAt = ParseTime(r.GetString(10)),
        Reason = r.GetString(11),
        Status = Enum.Parse<ApprovalStatus>(r.GetString(12)),
        DecidedBy = r.IsDBNull(13) ? null : r.GetString(13),
        DecidedAt = r.IsDBNull(14) ? null : ParseTime(r.GetString(14)),
        Comment = r.IsDBNull(15) ? null : r.GetString(15),
        Request = r.IsDBNull(16) ? null : r.GetString(16),

        // A request stored before the path was kept knows its own agent only.
        AgentPath = r.IsDBNull(17) ? [r.GetString(4)] : JsonSerializer.Deserialize<List<string>>(r.GetString(17)) ?? [],
        IdempotencyKey = r.IsDBNull(18) ? null : r.GetString(18),
    };

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
