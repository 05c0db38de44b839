using System.Text;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// An <see cref="AuditQuery"/> as one SELECT: every filter is a WHERE clause, so LIMIT counts matching entries and a
/// page is never short while more match.
/// </summary>
internal static class AuditQuerySql
{
    public static string Select(AuditQuery query, string columns, SqliteParameterCollection parameters)
    {
        // A conversation is read through its index table, whose key (conversation_id, seq) serves both filter and order.
        var byConversation = query.ConversationId is not null;
        var seq = byConversation ? "c.seq" : "audit_log.seq";
        var sql = new StringBuilder($"SELECT {columns} FROM ")
            .Append(byConversation ? "audit_conversation c JOIN audit_log ON audit_log.seq = c.seq" : "audit_log")
            .Append($" WHERE {seq} > $after");
        parameters.AddWithValue("$after", query.AfterSeq);
        if (byConversation)
        {
            Equal(sql, parameters, "c.conversation_id", "$conversation", query.ConversationId);
        }

        Equal(sql, parameters, "agent", "$agent", query.Agent);
        Equal(sql, parameters, "kind", "$kind", query.Kind);
        Equal(sql, parameters, "decision", "$decision", query.Decision);
        Equal(sql, parameters, "principal", "$principal", query.Principal);
        if (query.Tool is { } tool)
        {
            sql.Append(" AND tool GLOB $tool");
            parameters.AddWithValue("$tool", Glob(tool));
        }

        // Times are stored in one round-trip UTC form of fixed width, so text order is time order.
        if (query.From is { } from)
        {
            sql.Append(" AND at >= $from");
            parameters.AddWithValue("$from", AuditChain.FormatTime(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND at < $to");
            parameters.AddWithValue("$to", AuditChain.FormatTime(to));
        }

        sql.Append($" ORDER BY {seq} LIMIT $limit");
        parameters.AddWithValue("$limit", query.Limit);
        return sql.ToString();
    }

    /// <summary>
    /// A tool pattern as SQLite GLOB, which has the same case-sensitive '*' and '?'; its '[' opens a character class,
    /// which a tool pattern does not have, so it is matched literally.
    /// </summary>
    internal static string Glob(ToolPattern pattern) => pattern.Text.Replace("[", "[[]", StringComparison.Ordinal);

    private static void Equal(StringBuilder sql, SqliteParameterCollection parameters, string column, string name, string? value)
    {
        if (value is not null)
        {
            sql.Append($" AND {column} = {name}");
            parameters.AddWithValue(name, value);
        }
    }
}
