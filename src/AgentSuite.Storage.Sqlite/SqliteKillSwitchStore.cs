using AgentSuite.Governance.Audit;
using AgentSuite.Governance.KillSwitch;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteKillSwitchStore(SqliteGovernanceDatabase db) : IKillSwitchStore
{
    public async Task<IReadOnlyList<string>> LoadEngagedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT scope FROM kill_switches WHERE engaged = 1 ORDER BY scope";
        var scopes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            scopes.Add(reader.GetString(0));
        }

        return scopes;
    }

    public async Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();

        // A released switch keeps its row, so the last change (who and when) stays visible.
        command.CommandText = """
            INSERT INTO kill_switches (scope, engaged, changed_by, changed_at)
            VALUES (@scope, @engaged, @changed_by, @changed_at)
            ON CONFLICT(scope) DO UPDATE SET
                engaged = excluded.engaged,
                changed_by = excluded.changed_by,
                changed_at = excluded.changed_at
            """;
        command.Parameters.AddWithValue("@scope", scope);
        command.Parameters.AddWithValue("@engaged", engaged ? 1 : 0);
        command.Parameters.AddWithValue("@changed_by", changedBy);
        command.Parameters.AddWithValue("@changed_at", AuditChain.FormatTime(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
