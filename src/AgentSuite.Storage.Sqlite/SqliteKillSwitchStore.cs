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

    public async Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
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
