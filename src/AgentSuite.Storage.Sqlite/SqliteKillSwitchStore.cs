using AgentSuite.Governance.Audit;
using AgentSuite.Governance.KillSwitch;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// Kill switches in SQLite. The engaged set is read before every governed call (another instance may have engaged a
/// switch), so reads go through one kept-open connection and a prepared statement.
/// </summary>
public sealed class SqliteKillSwitchStore(SqliteGovernanceDatabase db) : IKillSwitchStore, IDisposable
{
    private readonly Lock _gate = new();
    private SqliteConnection? _reader;
    private SqliteCommand? _select;

    public Task<IReadOnlyList<string>> LoadEngagedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_select is null)
            {
                _reader = db.Open();
                _select = _reader.CreateCommand();
                _select.CommandText = "SELECT scope FROM kill_switches WHERE engaged = 1 ORDER BY scope";
                _select.Prepare();
            }

            var scopes = new List<string>();
            using var reader = _select.ExecuteReader();
            while (reader.Read())
            {
                scopes.Add(reader.GetString(0));
            }

            return Task.FromResult<IReadOnlyList<string>>(scopes);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _select?.Dispose();
            _reader?.Dispose();
            _select = null;
            _reader = null;
        }
    }

    public Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        SetAsync(scope, engaged, changedBy, at, reason: null, cancellationToken);

    public async Task<IReadOnlyList<KillSwitchChange>> LoadEngagedChangesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT scope, changed_by, changed_at, reason FROM kill_switches WHERE engaged = 1 ORDER BY scope";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<KillSwitchChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new KillSwitchChange(
                reader.GetString(0),
                reader.GetString(1),
                DateTimeOffset.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return changes;
    }

    public async Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();

        // A released switch keeps its row, so the last change (who and when) stays visible.
        command.CommandText = """
            INSERT INTO kill_switches (scope, engaged, changed_by, changed_at, reason)
            VALUES (@scope, @engaged, @changed_by, @changed_at, @reason)
            ON CONFLICT(scope) DO UPDATE SET
                engaged = excluded.engaged,
                changed_by = excluded.changed_by,
                changed_at = excluded.changed_at,
                reason = excluded.reason
            """;
        command.Parameters.AddWithValue("@reason", (object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue("@scope", scope);
        command.Parameters.AddWithValue("@engaged", engaged ? 1 : 0);
        command.Parameters.AddWithValue("@changed_by", changedBy);
        command.Parameters.AddWithValue("@changed_at", AuditChain.FormatTime(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
