using System.Globalization;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Pinning;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteToolPinStore(SqliteGovernanceDatabase db) : IToolPinStore
{
    private const string Select = "SELECT tool, pinned_hash, observed_hash, approved_by, approved_at, observed_at, pinned_definition, observed_definition FROM tool_pins";

    public async Task<ToolPin?> GetAsync(string tool, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = Select + " WHERE tool = @tool";
        command.Parameters.AddWithValue("@tool", tool);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ToolPin>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = Select + " ORDER BY tool";
        var pins = new List<ToolPin>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pins.Add(Read(reader));
        }

        return pins;
    }

    public async Task SaveAsync(ToolPin pin, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO tool_pins (tool, pinned_hash, observed_hash, approved_by, approved_at, observed_at, pinned_definition, observed_definition)
            VALUES (@tool, @pinned_hash, @observed_hash, @approved_by, @approved_at, @observed_at, @pinned_definition, @observed_definition)
            ON CONFLICT(tool) DO UPDATE SET
                pinned_hash = excluded.pinned_hash,
                observed_hash = excluded.observed_hash,
                approved_by = excluded.approved_by,
                approved_at = excluded.approved_at,
                observed_at = excluded.observed_at,
                pinned_definition = excluded.pinned_definition,
                observed_definition = excluded.observed_definition
            """;
        command.Parameters.AddWithValue("@tool", pin.Tool);
        command.Parameters.AddWithValue("@pinned_hash", (object?)pin.PinnedHash ?? DBNull.Value);
        command.Parameters.AddWithValue("@observed_hash", pin.ObservedHash);
        command.Parameters.AddWithValue("@approved_by", (object?)pin.ApprovedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("@approved_at", pin.ApprovedAt is { } approvedAt ? AuditChain.FormatTime(approvedAt) : DBNull.Value);
        command.Parameters.AddWithValue("@observed_at", AuditChain.FormatTime(pin.ObservedAt));
        command.Parameters.AddWithValue("@pinned_definition", (object?)pin.PinnedDefinition ?? DBNull.Value);
        command.Parameters.AddWithValue("@observed_definition", (object?)pin.ObservedDefinition ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ToolPin Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.IsDBNull(1) ? null : r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : ParseTime(r.GetString(4)),
        ParseTime(r.GetString(5)))
    {
        PinnedDefinition = r.IsDBNull(6) ? null : r.GetString(6),
        ObservedDefinition = r.IsDBNull(7) ? null : r.GetString(7),
    };

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
