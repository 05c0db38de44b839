using System.Text;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// An <see cref="AuditQuery"/> as one SELECT: every filter is a WHERE clause, so LIMIT counts matching entries and a
/// page is never short while more match.
/// </summary>
internal static class PostgresAuditQuerySql
{
    public const string Columns = "seq, at, at_tick, kind, conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash";

    public static string Select(AuditQuery query, NpgsqlParameterCollection parameters)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM audit_log WHERE seq > @after");
        parameters.AddWithValue("after", query.AfterSeq);
        Equal(sql, parameters, "conversation_id", query.ConversationId);
        Equal(sql, parameters, "agent", query.Agent);
        Equal(sql, parameters, "kind", query.Kind);
        Equal(sql, parameters, "decision", query.Decision);
        Equal(sql, parameters, "principal", query.Principal);
        if (query.Tool is { } tool)
        {
            sql.Append(" AND tool LIKE @tool");
            parameters.AddWithValue("tool", Like(tool));
        }

        // The microsecond column narrows (and can use the time index); the 100-ns digit decides at the boundary.
        if (query.From is { } from)
        {
            var (micros, tick) = PostgresAuditTime.Split(from);
            sql.Append(" AND at >= @from AND (at > @from OR at_tick >= @fromTick)");
            parameters.AddWithValue("from", micros);
            parameters.AddWithValue("fromTick", tick);
        }

        if (query.To is { } to)
        {
            var (micros, tick) = PostgresAuditTime.Split(to);
            sql.Append(" AND at <= @to AND (at < @to OR at_tick < @toTick)");
            parameters.AddWithValue("to", micros);
            parameters.AddWithValue("toTick", tick);
        }

        sql.Append(" ORDER BY seq LIMIT @limit");
        parameters.AddWithValue("limit", (long)query.Limit);
        return sql.ToString();
    }

    /// <summary>A tool pattern as a case-sensitive LIKE: '*' is '%', '?' is '_', and LIKE's own wildcards are matched literally.</summary>
    internal static string Like(ToolPattern pattern)
    {
        var like = new StringBuilder(pattern.Text.Length + 4);
        foreach (var c in pattern.Text)
        {
            like.Append(c switch
            {
                '*' => "%",
                '?' => "_",
                '%' or '_' or '\\' => "\\" + c,
                _ => c.ToString(),
            });
        }

        return like.ToString();
    }

    private static void Equal(StringBuilder sql, NpgsqlParameterCollection parameters, string column, string? value)
    {
        if (value is not null)
        {
            sql.Append($" AND {column} = @{column}");
            parameters.AddWithValue(column, value);
        }
    }
}
