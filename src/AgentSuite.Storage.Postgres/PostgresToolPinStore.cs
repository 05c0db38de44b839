using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Pinning;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// Tool pins shared by every instance. A save tells the others in its own transaction, so a definition re-approved
/// through one instance drops the stale pin the others cached.
/// </summary>
public sealed class PostgresToolPinStore(PostgresGovernanceDatabase db) : IToolPinStore
{
    // The definitions are text, not jsonb: the canonical JSON the hashes were taken of comes back byte for byte.
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS tool_pins (
            tool                text PRIMARY KEY,
            pinned_hash         text,
            observed_hash       text NOT NULL,
            approved_by         text,
            approved_at         timestamptz,
            observed_at         timestamptz NOT NULL,
            pinned_definition   text,
            observed_definition text
        );
        """;

    private const string Select = "SELECT tool, pinned_hash, observed_hash, approved_by, approved_at, observed_at, pinned_definition, observed_definition FROM tool_pins";

    public async Task<ToolPin?> GetAsync(string tool, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(Select + " WHERE tool = @tool");
        command.Parameters.AddWithValue("tool", tool);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ToolPin>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand(Select + " ORDER BY tool");
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
        ArgumentNullException.ThrowIfNull(pin);
        var save = new NpgsqlBatchCommand("""
            INSERT INTO tool_pins (tool, pinned_hash, observed_hash, approved_by, approved_at, observed_at, pinned_definition, observed_definition)
            VALUES (@tool, @pinned_hash, @observed_hash, @approved_by, @approved_at, @observed_at, @pinned_definition, @observed_definition)
            ON CONFLICT (tool) DO UPDATE SET
                pinned_hash = excluded.pinned_hash,
                observed_hash = excluded.observed_hash,
                approved_by = excluded.approved_by,
                approved_at = excluded.approved_at,
                observed_at = excluded.observed_at,
                pinned_definition = excluded.pinned_definition,
                observed_definition = excluded.observed_definition
            """);
        var p = save.Parameters;
        p.AddWithValue("tool", pin.Tool);
        p.AddWithValue("pinned_hash", (object?)pin.PinnedHash ?? DBNull.Value);
        p.AddWithValue("observed_hash", pin.ObservedHash);
        p.AddWithValue("approved_by", (object?)pin.ApprovedBy ?? DBNull.Value);
        p.AddWithValue("approved_at", pin.ApprovedAt is { } approvedAt ? approvedAt.ToUniversalTime() : DBNull.Value);
        p.AddWithValue("observed_at", pin.ObservedAt.ToUniversalTime());
        p.AddWithValue("pinned_definition", (object?)pin.PinnedDefinition ?? DBNull.Value);
        p.AddWithValue("observed_definition", (object?)pin.ObservedDefinition ?? DBNull.Value);

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { save, PostgresChangeNotice.Command(StoreChangeKind.ToolPinChanged, pin.Tool) } })
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static ToolPin Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.IsDBNull(1) ? null : r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
        r.GetFieldValue<DateTimeOffset>(5))
    {
        PinnedDefinition = r.IsDBNull(6) ? null : r.GetString(6),
        ObservedDefinition = r.IsDBNull(7) ? null : r.GetString(7),
    };
}
