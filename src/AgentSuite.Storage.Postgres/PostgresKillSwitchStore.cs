using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.KillSwitch;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// Kill switches shared by every instance. Every change bumps one version row in its own transaction, so once a change
/// has returned, any instance's next <see cref="GetVersionAsync"/> sees the new number and reloads the set: that read,
/// not the notification, is what makes a switch immediate everywhere. The notification only refreshes caches sooner.
/// </summary>
public sealed class PostgresKillSwitchStore(PostgresGovernanceDatabase db) : IKillSwitchStore
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS kill_switches (
            scope           text PRIMARY KEY,
            engaged         boolean NOT NULL,
            changed_by      text NOT NULL,
            changed_at      timestamptz NOT NULL,
            reason          text
        );
        CREATE TABLE IF NOT EXISTS kill_switch_version (
            id              integer PRIMARY KEY CHECK (id = 1),
            version         bigint NOT NULL
        );
        INSERT INTO kill_switch_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
        """;

    public async Task<IReadOnlyList<string>> LoadEngagedAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("SELECT scope FROM kill_switches WHERE engaged ORDER BY scope");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scopes = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            scopes.Add(reader.GetString(0));
        }

        return scopes;
    }

    public async Task<IReadOnlyList<KillSwitchChange>> LoadEngagedChangesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("SELECT scope, changed_by, changed_at, reason FROM kill_switches WHERE engaged ORDER BY scope");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<KillSwitchChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new KillSwitchChange(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return changes;
    }

    public Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        SetAsync(scope, engaged, changedBy, at, reason: null, cancellationToken);

    public async Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default)
    {
        // A released switch keeps its row, so the last change (who and when) stays visible.
        var save = new NpgsqlBatchCommand("""
            INSERT INTO kill_switches (scope, engaged, changed_by, changed_at, reason)
            VALUES (@scope, @engaged, @changed_by, @changed_at, @reason)
            ON CONFLICT (scope) DO UPDATE SET
                engaged = excluded.engaged,
                changed_by = excluded.changed_by,
                changed_at = excluded.changed_at,
                reason = excluded.reason
            """);
        save.Parameters.AddWithValue("scope", scope);
        save.Parameters.AddWithValue("engaged", engaged);
        save.Parameters.AddWithValue("changed_by", changedBy);
        save.Parameters.AddWithValue("changed_at", at.ToUniversalTime());
        save.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                save,
                new NpgsqlBatchCommand("UPDATE kill_switch_version SET version = version + 1 WHERE id = 1"),
                PostgresChangeNotice.Command(StoreChangeKind.KillSwitchChanged, scope),
            },
        })
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>One read of the version row by its primary key; it moves with every change any instance commits.</summary>
    public async ValueTask<long?> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("SELECT version FROM kill_switch_version WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
