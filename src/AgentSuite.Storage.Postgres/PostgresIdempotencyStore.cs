using AgentSuite.Governance.Idempotency;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// Side-effecting calls by key, shared by every instance: the same key claimed on several instances at once has exactly
/// one winner, because the primary key decides it. A released claim is deleted, so the next claim inserts afresh;
/// a completed or unknown record is never released, so such a call never becomes runnable again.
/// </summary>
public sealed class PostgresIdempotencyStore(PostgresGovernanceDatabase db) : IIdempotencyStore
{
    // result_json is text, not jsonb: a replay returns the stored result exactly as the first call produced it.
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS idempotency (
            key             text PRIMARY KEY,
            tool            text NOT NULL,
            arguments_hash  text NOT NULL,
            state           text NOT NULL,
            claimed_at      timestamptz NOT NULL,
            result_json     text,
            note            text,
            completed_at    timestamptz
        );
        """;

    private const string Select = "SELECT key, tool, arguments_hash, state, claimed_at, result_json, note, completed_at FROM idempotency WHERE key = @key";

    public async Task<IdempotencyRecord?> TryClaimAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await db.OpenAsync(cancellationToken);
        while (true)
        {
            await using (var insert = new NpgsqlCommand(
                """
                INSERT INTO idempotency (key, tool, arguments_hash, state, claimed_at, result_json, note)
                VALUES (@key, @tool, @arguments_hash, @state, @claimed_at, @result_json, @note)
                ON CONFLICT (key) DO NOTHING
                """,
                connection))
            {
                // The primary key decides the winner: an insert racing an uncommitted one waits for it, then adds nothing.
                insert.Parameters.AddWithValue("key", record.Key);
                insert.Parameters.AddWithValue("tool", record.Tool);
                insert.Parameters.AddWithValue("arguments_hash", record.ArgumentsHash);
                insert.Parameters.AddWithValue("state", record.State.ToString());
                insert.Parameters.AddWithValue("claimed_at", record.ClaimedAt.ToUniversalTime());
                insert.Parameters.AddWithValue("result_json", (object?)record.ResultJson ?? DBNull.Value);
                insert.Parameters.AddWithValue("note", (object?)record.Note ?? DBNull.Value);
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
        await using var connection = await db.OpenAsync(cancellationToken);
        return await GetAsync(connection, key, cancellationToken);
    }

    public async Task CompleteAsync(string key, string resultJson, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("UPDATE idempotency SET state = @state, result_json = @result_json, completed_at = @completed_at WHERE key = @key");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("state", nameof(IdempotencyState.Completed));
        command.Parameters.AddWithValue("result_json", resultJson);
        command.Parameters.AddWithValue("completed_at", completedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkUnknownAsync(string key, string note, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("UPDATE idempotency SET state = @state, note = @note WHERE key = @key");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("state", nameof(IdempotencyState.Unknown));
        command.Parameters.AddWithValue("note", note);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Only a pending claim may be dropped: a completed or unknown call must never become runnable again.
    public async Task ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("DELETE FROM idempotency WHERE key = @key AND state = @state");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("state", nameof(IdempotencyState.Pending));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IdempotencyRecord?> GetAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Select, connection);
        command.Parameters.AddWithValue("key", key);
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
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6))
        {
            CompletedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        };
    }
}
