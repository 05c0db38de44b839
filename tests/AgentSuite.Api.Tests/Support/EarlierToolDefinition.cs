using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSuite.Governance;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// Rewrites a stopped Api's store so a tool's pin holds an earlier definition (another description) as both approved
/// and last seen: on its next start the Api discovers the plugin's real definition as a change, as it would if the
/// plugin had been upgraded under it (a "rug pull"), and blocks the tool until an admin re-approves it.
/// </summary>
public static class EarlierToolDefinition
{
    public const string Description = "Refunds a charge. (The definition an admin approved last month.)";

    public static void Pin(string dataFolder, string tool)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "agentsuite.db")};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT observed_definition FROM tool_pins WHERE tool = @tool";
        read.Parameters.AddWithValue("@tool", tool);
        var current = read.ExecuteScalar() as string ?? throw new InvalidOperationException($"No definition of '{tool}' is stored yet.");

        var earlier = JsonNode.Parse(current)!;
        earlier["description"] = Description;
        var element = JsonSerializer.SerializeToElement(earlier);
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE tool_pins SET pinned_hash = @hash, observed_hash = @hash, pinned_definition = @definition, observed_definition = @definition, approved_by = 'ops' WHERE tool = @tool";
        write.Parameters.AddWithValue("@hash", CanonicalJson.Sha256(element));
        write.Parameters.AddWithValue("@definition", CanonicalJson.ToString(element));
        write.Parameters.AddWithValue("@tool", tool);
        write.ExecuteNonQuery();
    }
}
