using AgentSuite.Governance.AgentCalls;
using Npgsql;
using NpgsqlTypes;

namespace AgentSuite.Storage.Postgres;

/// <summary>The idempotency keys of calls to served agents in PostgreSQL: one claim per caller and key, whichever instance the call reaches.</summary>
public sealed class PostgresAgentCallStore(PostgresGovernanceDatabase db) : IAgentCallStore
{
    internal const string Schema = """
        -- Calls to agents served over MCP, by the caller's idempotency key: the turn each started.
        CREATE TABLE IF NOT EXISTS agent_calls (
            caller          TEXT COLLATE "C" NOT NULL,
            key             TEXT COLLATE "C" NOT NULL,
            agent           TEXT NOT NULL,
            request_hash    TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            run_id          TEXT,
            at              TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (caller, key)
        );
        """;

    // A claim read back as gone was released between the insert and the read; claiming again settles it.
    private const int Attempts = 3;

    public async Task<AgentCall?> GetAsync(string caller, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await GetAsync(connection, caller, key, cancellationToken);
    }

    public async Task<AgentCall?> TryClaimAsync(AgentCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var connection = await db.OpenAsync(cancellationToken);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            // The primary key decides the winner across instances: a concurrent insert waits for the first to commit,
            // then adds nothing and reads the winner's row.
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO agent_calls (caller, key, agent, request_hash, conversation_id, run_id, at)
                VALUES (@caller, @key, @agent, @hash, @conversation, @run, @at)
                ON CONFLICT (caller, key) DO NOTHING
                """, connection))
            {
                insert.Parameters.AddWithValue("caller", call.Caller);
                insert.Parameters.AddWithValue("key", call.Key);
                insert.Parameters.AddWithValue("agent", call.Agent);
                insert.Parameters.AddWithValue("hash", call.RequestHash);
                insert.Parameters.AddWithValue("conversation", call.ConversationId);
                insert.Parameters.AddWithValue("run", NpgsqlDbType.Text, (object?)call.RunId ?? DBNull.Value);
                insert.Parameters.AddWithValue("at", call.At.ToUniversalTime());
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return null;
                }
            }

            if (await GetAsync(connection, call.Caller, call.Key, cancellationToken) is { } existing)
            {
                return existing;
            }
        }

        throw new InvalidOperationException($"The idempotency key '{call.Key}' was neither claimed nor found.");
    }

    public async Task SetRunAsync(string caller, string key, string conversationId, string runId, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("UPDATE agent_calls SET conversation_id = @conversation, run_id = @run WHERE caller = @caller AND key = @key");
        command.Parameters.AddWithValue("conversation", conversationId);
        command.Parameters.AddWithValue("caller", caller);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("run", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(string caller, string key, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("DELETE FROM agent_calls WHERE caller = @caller AND key = @key AND run_id IS NULL");
        command.Parameters.AddWithValue("caller", caller);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<AgentCall?> GetAsync(NpgsqlConnection connection, string caller, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT agent, request_hash, conversation_id, run_id, at FROM agent_calls WHERE caller = @caller AND key = @key", connection);
        command.Parameters.AddWithValue("caller", caller);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new AgentCall(caller, key, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(4))
        {
            RunId = reader.IsDBNull(3) ? null : reader.GetString(3),
        };
    }
}
