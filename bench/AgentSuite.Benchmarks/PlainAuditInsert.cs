using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The baseline: the same row into the same <c>audit_log</c> table with one prepared, parameterized INSERT in
/// autocommit, and no hash chain. SQLite assigns the sequence number; the two hash columns get a fixed 64-character
/// value so the row is as large as a chained one.
/// </summary>
internal sealed class PlainAuditInsert : IDisposable
{
    private static readonly string Placeholder = new('0', 64);
    private readonly SqliteCommand _insert;

    public PlainAuditInsert(SqliteConnection connection)
    {
        _insert = connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO audit_log (at, kind, conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash)
            VALUES ($at, $kind, $conversation, $run, $agent, $principal, $tool, $call, $decision, $reason, $data, $prev, $hash)
            """;
        foreach (var name in (string[])["$at", "$kind", "$conversation", "$run", "$agent", "$principal", "$tool", "$call", "$decision", "$reason", "$data", "$prev", "$hash"])
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _insert.Prepare();
    }

    public void Execute(AuditEntry e)
    {
        var p = _insert.Parameters;
        p[0].Value = AuditChain.FormatTime(e.At);
        p[1].Value = e.Kind;
        p[2].Value = (object?)e.ConversationId ?? DBNull.Value;
        p[3].Value = (object?)e.RunId ?? DBNull.Value;
        p[4].Value = (object?)e.Agent ?? DBNull.Value;
        p[5].Value = (object?)e.Principal ?? DBNull.Value;
        p[6].Value = (object?)e.Tool ?? DBNull.Value;
        p[7].Value = (object?)e.ToolCallId ?? DBNull.Value;
        p[8].Value = (object?)e.Decision ?? DBNull.Value;
        p[9].Value = (object?)e.Reason ?? DBNull.Value;
        p[10].Value = e.Data is { } data ? CanonicalJson.ToString(data) : DBNull.Value;
        p[11].Value = Placeholder;
        p[12].Value = Placeholder;
        _insert.ExecuteNonQuery();
    }

    public void Dispose() => _insert.Dispose();
}
