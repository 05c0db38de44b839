using System.Globalization;
using AgentSuite.Governance.AgentCalls;
using AgentSuite.Governance.Audit;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteAgentCallStore(SqliteGovernanceDatabase db) : IAgentCallStore
{
    public async Task<AgentCall?> GetAsync(string caller, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        return await GetAsync(connection, caller, key, cancellationToken);
    }

    public async Task<AgentCall?> TryClaimAsync(AgentCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using (var insert = connection.CreateCommand())
        {
            // The primary key decides the winner: exactly one concurrent insert adds the row.
            insert.CommandText = """
                INSERT INTO agent_calls (caller, key, agent, request_hash, conversation_id, run_id, at)
                VALUES ($caller, $key, $agent, $hash, $conversation, $run, $at)
                ON CONFLICT(caller, key) DO NOTHING
                """;
            insert.Parameters.AddWithValue("$caller", call.Caller);
            insert.Parameters.AddWithValue("$key", call.Key);
            insert.Parameters.AddWithValue("$agent", call.Agent);
            insert.Parameters.AddWithValue("$hash", call.RequestHash);
            insert.Parameters.AddWithValue("$conversation", call.ConversationId);
            insert.Parameters.AddWithValue("$run", (object?)call.RunId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$at", AuditChain.FormatTime(call.At));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return null;
            }
        }

        return await GetAsync(connection, call.Caller, call.Key, cancellationToken)
            ?? throw new InvalidOperationException($"The idempotency key '{call.Key}' was neither claimed nor found.");
    }

    public async Task SetRunAsync(string caller, string key, string conversationId, string runId, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE agent_calls SET conversation_id = $conversation, run_id = $run WHERE caller = $caller AND key = $key";
        command.Parameters.AddWithValue("$conversation", conversationId);
        command.Parameters.AddWithValue("$caller", caller);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$run", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(string caller, string key, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM agent_calls WHERE caller = $caller AND key = $key AND run_id IS NULL";
        command.Parameters.AddWithValue("$caller", caller);
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<AgentCall?> GetAsync(SqliteConnection connection, string caller, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT agent, request_hash, conversation_id, run_id, at FROM agent_calls WHERE caller = $caller AND key = $key";
        command.Parameters.AddWithValue("$caller", caller);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new AgentCall(caller, key, reader.GetString(0), reader.GetString(1), reader.GetString(2),
            DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
        {
            RunId = reader.IsDBNull(3) ? null : reader.GetString(3),
        };
    }
}
