using AgentSuite.Governance.Cluster;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The instances sharing the database, one row each, kept by their heartbeats. Times are the database's clock, so
/// instances whose clocks differ still agree on who is gone.
/// </summary>
public sealed class PostgresInstanceRegistry(PostgresGovernanceDatabase database) : IInstanceRegistry
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS instances (
            name TEXT PRIMARY KEY,
            started_at TIMESTAMPTZ NOT NULL,
            last_seen TIMESTAMPTZ NOT NULL,
            version TEXT NULL,
            policy_version TEXT NOT NULL,
            policy_loaded_at TIMESTAMPTZ NOT NULL
        );
        """;

    public async Task HeartbeatAsync(InstanceHeartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO instances (name, started_at, last_seen, version, policy_version, policy_loaded_at)
                    VALUES (@name, @started, now(), @version, @policy, @loaded)
                    ON CONFLICT (name) DO UPDATE SET last_seen = now(), version = excluded.version,
                        policy_version = excluded.policy_version, policy_loaded_at = excluded.policy_loaded_at
                    """)
                {
                    Parameters =
                    {
                        new("name", heartbeat.Name),
                        new("started", heartbeat.StartedAt.ToUniversalTime()),
                        new("version", (object?)heartbeat.Version ?? DBNull.Value),
                        new("policy", heartbeat.PolicyVersion),
                        new("loaded", heartbeat.PolicyLoadedAt.ToUniversalTime()),
                    },
                },

                // Instances silent for a day are forgotten (each restart is a new name, so they would pile up).
                new NpgsqlBatchCommand("DELETE FROM instances WHERE last_seen < now() - @prune") { Parameters = { new("prune", IInstanceRegistry.PruneAfter) } },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<InstanceRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT name, started_at, last_seen, version, policy_version, policy_loaded_at, last_seen < now() - @gone
            FROM instances WHERE last_seen >= now() - @prune
            ORDER BY started_at DESC, name
            """, connection);
        command.Parameters.Add(new("gone", IInstanceRegistry.GoneAfter));
        command.Parameters.Add(new("prune", IInstanceRegistry.PruneAfter));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<InstanceRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new InstanceRecord(
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetBoolean(6)));
        }

        return list;
    }
}
