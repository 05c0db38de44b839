using AgentSuite.Governance;
using AgentSuite.Governance.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace AgentSuite.Storage.Postgres;

/// <summary>Conversations and their messages in PostgreSQL, shared by every instance; messages keep their order by an identity column.</summary>
public sealed class PostgresConversationStore(PostgresGovernanceDatabase db) : IConversationStore
{
    // Ids and names compare byte by byte ("C"), as SQLite's BINARY does, so pages are ordered alike on both stores.
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS conversations (
            id                 TEXT COLLATE "C" PRIMARY KEY,
            created_by         TEXT NOT NULL,
            created_at         TIMESTAMPTZ NOT NULL,
            created_by_subject TEXT COLLATE "C"
        );
        CREATE TABLE IF NOT EXISTS conversation_messages (
            seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations(id),
            role            TEXT NOT NULL,
            agent           TEXT,
            text            TEXT NOT NULL,
            at              TIMESTAMPTZ NOT NULL
        );
        -- The conversations list, newest first: everyone's, one user's by name, and one token holder's by subject.
        CREATE INDEX IF NOT EXISTS ix_conversations_created ON conversations (created_at, id);
        CREATE INDEX IF NOT EXISTS ix_conversations_owner ON conversations (lower(created_by), created_at, id);
        CREATE INDEX IF NOT EXISTS ix_conversations_subject ON conversations (created_by_subject, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_conversation_messages ON conversation_messages (conversation_id, seq);
        """;

    public async Task CreateAsync(string id, string createdBy, string? createdBySubject, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("INSERT INTO conversations (id, created_by, created_by_subject, created_at) VALUES (@id, @by, @subject, @at)");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("by", createdBy);
        command.Parameters.AddWithValue("subject", NpgsqlDbType.Text, (object?)createdBySubject ?? DBNull.Value);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("""
            SELECT c.created_by, c.created_at, c.created_by_subject, m.role, m.agent, m.text, m.at
            FROM conversations c LEFT JOIN conversation_messages m ON m.conversation_id = c.id
            WHERE c.id = @id ORDER BY m.seq
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Conversation? conversation = null;
        var messages = new List<ConversationMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            conversation ??= new Conversation(id, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), messages)
            {
                CreatedBySubject = reader.IsDBNull(2) ? null : reader.GetString(2),
            };
            if (!reader.IsDBNull(3))
            {
                messages.Add(new ConversationMessage(reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        return conversation;
    }

    public async Task AppendAsync(string id, ConversationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await InsertMessageAsync(connection, null, id, message, cancellationToken) == 0)
        {
            throw new KeyNotFoundException($"No conversation '{id}' exists.");
        }
    }

    public async Task<IReadOnlyList<ConversationSummary>> ListAsync(ConversationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = db.DataSource.CreateCommand();
        var where = new List<string>();
        Filter(command, where, "by", query.CreatedBy, "lower(c.created_by) = lower(@by)");
        Owner(command, where, query.Owner);
        Filter(command, where, "from", query.From?.ToUniversalTime(), "c.created_at >= @from");
        Filter(command, where, "to", query.To?.ToUniversalTime(), "c.created_at < @to");
        Filter(command, where, "after", query.AfterId, "(c.created_at, c.id) < (SELECT a.created_at, a.id FROM conversations a WHERE a.id = @after)");
        Filter(command, where, "status", query.Status, $"COALESCE(t.status, '{ConversationStatus.None}') = @status");
        command.Parameters.AddWithValue("limit", query.Limit);

        // The latest turn is the one the turn store's GetLatestAsync picks; both use ix_turns_conversation.
        command.CommandText = $"""
            SELECT c.id, c.created_by, c.created_at,
                (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = c.id),
                (SELECT m.at FROM conversation_messages m WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1),
                t.run_id, t.status, t.started_at, t.updated_at, t.ended_at, t.approval_id, t.reason
            FROM conversations c
            LEFT JOIN LATERAL (
                SELECT l.run_id, l.status, l.started_at, l.updated_at, l.ended_at, l.approval_id, l.reason
                FROM turns l WHERE l.conversation_id = c.id ORDER BY l.seq DESC LIMIT 1) t ON TRUE
            {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY c.created_at DESC, c.id DESC
            LIMIT @limit
            """;
        var page = new List<ConversationSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new ConversationSummary(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), checked((int)reader.GetInt64(3)))
            {
                LastMessageAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                LatestTurn = reader.IsDBNull(5) ? null : new TurnSummary(reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8))
                {
                    EndedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                    ApprovalId = reader.IsDBNull(10) ? null : reader.GetString(10),
                    Reason = reader.IsDBNull(11) ? null : reader.GetString(11),
                },
            });
        }

        return page;
    }

    /// <summary>Appends a message when the conversation exists; returns the rows written (0 or 1). The turn store uses it inside its transactions.</summary>
    internal static async Task<int> InsertMessageAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string conversationId, ConversationMessage message, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO conversation_messages (conversation_id, role, agent, text, at)
            SELECT @id, @role, @agent, @text, @at WHERE EXISTS (SELECT 1 FROM conversations WHERE id = @id)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", NpgsqlDbType.Text, conversationId);
        command.Parameters.AddWithValue("role", NpgsqlDbType.Text, message.Role);
        command.Parameters.AddWithValue("agent", NpgsqlDbType.Text, (object?)message.Agent ?? DBNull.Value);
        command.Parameters.AddWithValue("text", NpgsqlDbType.Text, message.Text);
        command.Parameters.AddWithValue("at", NpgsqlDbType.TimestampTz, message.At.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Filter<T>(NpgsqlCommand command, List<string> where, string name, T? value, string clause)
    {
        if (value is not null)
        {
            command.Parameters.AddWithValue(name, value);
            where.Add(clause);
        }
    }

    // Conversation.IsOwnedBy in SQL: one started with a token is its subject's, any other its recorded name's.
    private static void Owner(NpgsqlCommand command, List<string> where, Principal? owner)
    {
        if (owner is null)
        {
            return;
        }

        command.Parameters.AddWithValue("owner", owner.Name);
        const string byName = "(c.created_by_subject IS NULL AND lower(c.created_by) = lower(@owner))";
        if (owner.Subject is { } subject)
        {
            command.Parameters.AddWithValue("owner_subject", subject);
            where.Add($"(c.created_by_subject = @owner_subject OR {byName})");
        }
        else
        {
            where.Add(byName);
        }
    }
}
