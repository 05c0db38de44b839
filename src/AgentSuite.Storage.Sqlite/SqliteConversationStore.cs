using System.Globalization;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Conversations;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteConversationStore(SqliteGovernanceDatabase db) : IConversationStore
{
    public async Task CreateAsync(string id, string createdBy, string? createdBySubject, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO conversations (id, created_by, created_by_subject, created_at) VALUES ($id, $by, $subject, $at)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$by", createdBy);
        command.Parameters.AddWithValue("$subject", (object?)createdBySubject ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", AuditChain.FormatTime(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.created_by, c.created_at, c.created_by_subject, m.role, m.agent, m.text, m.at
            FROM conversations c LEFT JOIN conversation_messages m ON m.conversation_id = c.id
            WHERE c.id = $id ORDER BY m.seq
            """;
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Conversation? conversation = null;
        var messages = new List<ConversationMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            conversation ??= new Conversation(id, reader.GetString(0), Time(reader.GetString(1)), messages) { CreatedBySubject = reader.IsDBNull(2) ? null : reader.GetString(2) };
            if (!reader.IsDBNull(3))
            {
                messages.Add(new ConversationMessage(reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), Time(reader.GetString(6))));
            }
        }

        return conversation;
    }

    public async Task AppendAsync(string id, ConversationMessage message, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO conversation_messages (conversation_id, role, agent, text, at)
            SELECT $id, $role, $agent, $text, $at WHERE EXISTS (SELECT 1 FROM conversations WHERE id = $id)
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$role", message.Role);
        command.Parameters.AddWithValue("$agent", (object?)message.Agent ?? DBNull.Value);
        command.Parameters.AddWithValue("$text", message.Text);
        command.Parameters.AddWithValue("$at", AuditChain.FormatTime(message.At));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new KeyNotFoundException($"No conversation '{id}' exists.");
        }
    }

    public async Task<IReadOnlyList<ConversationSummary>> ListAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        Filter(command, where, "$by", query.CreatedBy, "c.created_by = $by COLLATE NOCASE");
        Owner(command, where, query.Owner);
        Filter(command, where, "$from", query.From is { } from ? AuditChain.FormatTime(from) : null, "c.created_at >= $from");
        Filter(command, where, "$to", query.To is { } to ? AuditChain.FormatTime(to) : null, "c.created_at < $to");
        Filter(command, where, "$after", query.AfterId, "(c.created_at, c.id) < (SELECT a.created_at, a.id FROM conversations a WHERE a.id = $after)");
        Filter(command, where, "$status", query.Status, $"COALESCE(t.status, '{ConversationStatus.None}') = $status");
        command.Parameters.AddWithValue("$limit", query.Limit);

        // The latest turn is the one GetLatestAsync picks; both lookups use ix_turns_conversation.
        command.CommandText = $"""
            SELECT c.id, c.created_by, c.created_at,
                (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = c.id),
                (SELECT m.at FROM conversation_messages m WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1),
                t.run_id, t.status, t.started_at, t.updated_at, t.ended_at, t.approval_id, t.reason
            FROM conversations c
            LEFT JOIN turns t ON t.run_id = (SELECT l.run_id FROM turns l WHERE l.conversation_id = c.id ORDER BY l.started_at DESC, l.rowid DESC LIMIT 1)
            {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY c.created_at DESC, c.id DESC
            LIMIT $limit
            """;
        var page = new List<ConversationSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new ConversationSummary(reader.GetString(0), reader.GetString(1), Time(reader.GetString(2)), reader.GetInt32(3))
            {
                LastMessageAt = reader.IsDBNull(4) ? null : Time(reader.GetString(4)),
                LatestTurn = reader.IsDBNull(5) ? null : new TurnSummary(reader.GetString(5), reader.GetString(6), Time(reader.GetString(7)), Time(reader.GetString(8)))
                {
                    EndedAt = reader.IsDBNull(9) ? null : Time(reader.GetString(9)),
                    ApprovalId = reader.IsDBNull(10) ? null : reader.GetString(10),
                    Reason = reader.IsDBNull(11) ? null : reader.GetString(11),
                },
            });
        }

        return page;
    }

    private static void Filter(SqliteCommand command, List<string> where, string name, string? value, string clause)
    {
        if (value is not null)
        {
            command.Parameters.AddWithValue(name, value);
            where.Add(clause);
        }
    }

    // Conversation.IsOwnedBy in SQL: one started with a token is its subject's, any other its recorded name's.
    private static void Owner(SqliteCommand command, List<string> where, Principal? owner)
    {
        if (owner is null)
        {
            return;
        }

        command.Parameters.AddWithValue("$owner", owner.Name);
        const string byName = "(c.created_by_subject IS NULL AND c.created_by = $owner COLLATE NOCASE)";
        if (owner.Subject is { } subject)
        {
            command.Parameters.AddWithValue("$owner_subject", subject);
            where.Add($"(c.created_by_subject = $owner_subject OR {byName})");
        }
        else
        {
            where.Add(byName);
        }
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
