using System.Globalization;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Conversations;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteTurnStore(SqliteGovernanceDatabase db) : ITurnStore
{
    private const string Columns = "conversation_id, run_id, principal, status, started_at, updated_at, ended_at, reason, approval_id, state";
    private const string Active = "status IN ('running', 'waiting')";

    public async Task<bool> TryStartAsync(TurnRecord turn, ConversationMessage message, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var transaction = connection.BeginTransaction();
        await using (var exists = connection.CreateCommand())
        {
            exists.Transaction = transaction;
            exists.CommandText = "SELECT EXISTS (SELECT 1 FROM conversations WHERE id = $id), EXISTS (SELECT 1 FROM turns WHERE conversation_id = $id AND " + Active + ")";
            exists.Parameters.AddWithValue("$id", turn.ConversationId);
            await using var reader = await exists.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt64(0) == 0)
            {
                throw new KeyNotFoundException($"No conversation '{turn.ConversationId}' exists.");
            }

            if (reader.GetInt64(1) != 0)
            {
                return false;
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO turns ({Columns}) VALUES ($conversation, $run, $principal, $status, $started, $updated, NULL, NULL, $approval, $state)";
            Bind(insert, turn);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await AppendAsync(connection, transaction, turn.ConversationId, message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SaveAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE turns SET status = $status, updated_at = $updated, approval_id = $approval, state = $state WHERE run_id = $run AND {Active}";
        Bind(command, turn);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> FinishAsync(TurnRecord turn, ConversationMessage? reply, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var transaction = connection.BeginTransaction();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"""
                UPDATE turns SET status = $status, updated_at = $updated, ended_at = $ended, reason = $reason, approval_id = NULL, state = $state
                WHERE run_id = $run AND {Active}
                """;
            Bind(command, turn);
            command.Parameters.AddWithValue("$ended", AuditChain.FormatTime(turn.EndedAt ?? turn.UpdatedAt));
            command.Parameters.AddWithValue("$reason", (object?)turn.Reason ?? DBNull.Value);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        if (reply is not null)
        {
            await AppendAsync(connection, transaction, turn.ConversationId, reply, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public Task<TurnRecord?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        OneAsync("run_id = $key", runId, cancellationToken);

    public Task<TurnRecord?> GetLatestAsync(string conversationId, CancellationToken cancellationToken = default) =>
        OneAsync("conversation_id = $key ORDER BY started_at DESC, rowid DESC LIMIT 1", conversationId, cancellationToken);

    public async Task<IReadOnlyList<TurnRecord>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM turns WHERE {Active} ORDER BY started_at, rowid";
        return await ReadAsync(command, cancellationToken);
    }

    private async Task<TurnRecord?> OneAsync(string where, string key, CancellationToken cancellationToken)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM turns WHERE {where}";
        command.Parameters.AddWithValue("$key", key);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<IReadOnlyList<TurnRecord>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var turns = new List<TurnRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            turns.Add(new TurnRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Time(reader.GetString(4)))
            {
                UpdatedAt = Time(reader.GetString(5)),
                EndedAt = reader.IsDBNull(6) ? null : Time(reader.GetString(6)),
                Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
                ApprovalId = reader.IsDBNull(8) ? null : reader.GetString(8),
                State = reader.GetString(9),
            });
        }

        return turns;
    }

    private static async Task AppendAsync(SqliteConnection connection, SqliteTransaction transaction, string conversationId, ConversationMessage message, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO conversation_messages (conversation_id, role, agent, text, at) VALUES ($id, $role, $agent, $text, $at)";
        command.Parameters.AddWithValue("$id", conversationId);
        command.Parameters.AddWithValue("$role", message.Role);
        command.Parameters.AddWithValue("$agent", (object?)message.Agent ?? DBNull.Value);
        command.Parameters.AddWithValue("$text", message.Text);
        command.Parameters.AddWithValue("$at", AuditChain.FormatTime(message.At));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(SqliteCommand command, TurnRecord turn)
    {
        var p = command.Parameters;
        p.AddWithValue("$conversation", turn.ConversationId);
        p.AddWithValue("$run", turn.RunId);
        p.AddWithValue("$principal", turn.Principal);
        p.AddWithValue("$status", turn.Status);
        p.AddWithValue("$started", AuditChain.FormatTime(turn.StartedAt));
        p.AddWithValue("$updated", AuditChain.FormatTime(turn.UpdatedAt));
        p.AddWithValue("$approval", (object?)turn.ApprovalId ?? DBNull.Value);
        p.AddWithValue("$state", turn.State);
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
