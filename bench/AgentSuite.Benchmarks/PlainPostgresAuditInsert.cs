using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using Npgsql;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The PostgreSQL baseline: the same row into a table shaped and indexed like <c>audit_log</c>, one prepared INSERT in
/// autocommit per entry on the appender's own connection, with no chain and no head lock. The database numbers the row;
/// the two hash columns get a fixed 64-character value so the row is as large as a chained one.
/// </summary>
internal sealed class PlainPostgresAuditInsert : IAsyncDisposable
{
    public const string CreateTableSql = """
        CREATE TABLE audit_plain (LIKE audit_log INCLUDING ALL);
        CREATE SEQUENCE audit_plain_seq;
        ALTER TABLE audit_plain ALTER COLUMN seq SET DEFAULT nextval('audit_plain_seq');
        """;

    private static readonly string Placeholder = new('0', 64);
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _insert;

    private PlainPostgresAuditInsert(NpgsqlConnection connection)
    {
        _connection = connection;
        _insert = new NpgsqlCommand(
            """
            INSERT INTO audit_plain (at, at_tick, kind, conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """,
            connection);
        _insert.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        _insert.Parameters.Add(new NpgsqlParameter<short>());
        for (var i = 0; i < 12; i++)
        {
            _insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        }
    }

    public static async Task<PlainPostgresAuditInsert> OpenAsync(NpgsqlDataSource dataSource)
    {
        var plain = new PlainPostgresAuditInsert(await dataSource.OpenConnectionAsync());
        await plain._insert.PrepareAsync();
        return plain;
    }

    public async Task ExecuteAsync(AuditEntry e)
    {
        var p = _insert.Parameters;
        var ticks = e.At.UtcTicks;
        ((NpgsqlParameter<DateTime>)p[0]).TypedValue = new DateTime(ticks - (ticks % 10), DateTimeKind.Utc);
        ((NpgsqlParameter<short>)p[1]).TypedValue = (short)(ticks % 10);
        p[2].Value = e.Kind;
        p[3].Value = (object?)e.ConversationId ?? DBNull.Value;
        p[4].Value = (object?)e.RunId ?? DBNull.Value;
        p[5].Value = (object?)e.Agent ?? DBNull.Value;
        p[6].Value = (object?)e.Principal ?? DBNull.Value;
        p[7].Value = (object?)e.Tool ?? DBNull.Value;
        p[8].Value = (object?)e.ToolCallId ?? DBNull.Value;
        p[9].Value = (object?)e.Decision ?? DBNull.Value;
        p[10].Value = (object?)e.Reason ?? DBNull.Value;
        p[11].Value = e.Data is { } data ? CanonicalJson.ToString(data) : DBNull.Value;
        p[12].Value = Placeholder;
        p[13].Value = Placeholder;
        await _insert.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
