using System.Globalization;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Conversations;

namespace AgentSuite.Storage.Sqlite;

public sealed class SqliteConversationStore(SqliteGovernanceDatabase db) : IConversationStore
{
    public async Task CreateAsync(string id, string createdBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO conversations (id, created_by, created_at) VALUES ($id, $by, $at)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$by", createdBy);
        command.Parameters.AddWithValue("$at", AuditChain.FormatTime(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.created_by, c.created_at, m.role, m.agent, m.text, m.at
            FROM conversations c LEFT JOIN conversation_messages m ON m.conversation_id = c.id
            WHERE c.id = $id ORDER BY m.seq
            """;
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Conversation? conversation = null;
        var messages = new List<ConversationMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            conversation ??= new Conversation(id, reader.GetString(0), Time(reader.GetString(1)), messages);
            if (!reader.IsDBNull(2))
            {
                messages.Add(new ConversationMessage(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), Time(reader.GetString(5))));
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

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
