using System.Globalization;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Idempotency;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteIdempotencyStore(SqliteGovernanceDatabase db) : IIdempotencyStore
{
    public async Task<IdempotencyRecord?> TryClaimAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        while (true)
        {
            await using (var insert = connection.CreateCommand())
            {
                // The primary key decides the winner: exactly one concurrent insert adds the row.
                insert.CommandText = """
                    INSERT INTO idempotency (key, tool, arguments_hash, state, claimed_at, result_json, note)
                    VALUES (@key, @tool, @arguments_hash, @state, @claimed_at, @result_json, @note)
                    ON CONFLICT(key) DO NOTHING
                    """;
                insert.Parameters.AddWithValue("@key", record.Key);
                insert.Parameters.AddWithValue("@tool", record.Tool);
                insert.Parameters.AddWithValue("@arguments_hash", record.ArgumentsHash);
                insert.Parameters.AddWithValue("@state", record.State.ToString());
                insert.Parameters.AddWithValue("@claimed_at", AuditChain.FormatTime(record.ClaimedAt));
                insert.Parameters.AddWithValue("@result_json", (object?)record.ResultJson ?? DBNull.Value);
                insert.Parameters.AddWithValue("@note", (object?)record.Note ?? DBNull.Value);
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return null;
                }
            }

            // The holder may release its claim between our insert and this read; then the key is free, so try again.
            if (await GetAsync(connection, record.Key, cancellationToken) is { } existing)
            {
                return existing;
            }
        }
    }

    public async Task<IdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        return await GetAsync(connection, key, cancellationToken);
    }

    public async Task CompleteAsync(string key, string resultJson, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE idempotency SET state = @state, result_json = @value, completed_at = @completed_at WHERE key = @key";
        command.Parameters.AddWithValue("@key", key);
        command.Parameters.AddWithValue("@state", nameof(IdempotencyState.Completed));
        command.Parameters.AddWithValue("@value", resultJson);
        command.Parameters.AddWithValue("@completed_at", AuditChain.FormatTime(completedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task MarkUnknownAsync(string key, string note, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE idempotency SET state = @state, note = @value WHERE key = @key",
            key,
            IdempotencyState.Unknown,
            note,
            cancellationToken);

    // Only a pending claim may be dropped: a completed or unknown call must never become runnable again.
    public Task ReleaseAsync(string key, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "DELETE FROM idempotency WHERE key = @key AND state = @state",
            key,
            IdempotencyState.Pending,
            value: null,
            cancellationToken);

    private async Task ExecuteAsync(string sql, string key, IdempotencyState state, string? value, CancellationToken cancellationToken)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@key", key);
        command.Parameters.AddWithValue("@state", state.ToString());
        if (value is not null)
        {
            command.Parameters.AddWithValue("@value", value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IdempotencyRecord?> GetAsync(SqliteConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, tool, arguments_hash, state, claimed_at, result_json, note, completed_at FROM idempotency WHERE key = @key";
        command.Parameters.AddWithValue("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new IdempotencyRecord(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            Enum.Parse<IdempotencyState>(reader.GetString(3)),
            DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6))
        {
            CompletedAt = reader.IsDBNull(7) ? null : DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        };
    }
}
