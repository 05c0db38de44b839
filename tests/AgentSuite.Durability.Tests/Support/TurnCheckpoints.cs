using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Durability.Tests.Support;

/// <summary>Reads the Api's own record of a conversation's latest turn (its checkpoint), read-only, from its SQLite file.</summary>
public static class TurnCheckpoints
{
    /// <summary>How many tool results the checkpoint holds for <paramref name="agent"/>'s latest model response; 0 when there is none yet.</summary>
    public static int RecordedResults(string dataFolder, string conversationId, string agent)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataFolder, "agentsuite.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM turns WHERE conversation_id = $c ORDER BY started_at DESC LIMIT 1";
        command.Parameters.AddWithValue("$c", conversationId);
        if (command.ExecuteScalar() is not string state)
        {
            return 0;
        }

        var frames = JsonDocument.Parse(state).RootElement.GetProperty("frames");
        return frames.EnumerateArray()
            .Where(f => f.GetProperty("agent").GetString() == agent)
            .Select(f => f.TryGetProperty("results", out var r) ? r.GetArrayLength() : 0)
            .FirstOrDefault();
    }
}
