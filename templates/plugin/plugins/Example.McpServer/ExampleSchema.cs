using Microsoft.Data.Sqlite;

namespace Example.McpServer;

/// <summary>The server's tables and the data a first start seeds; later starts keep the file as it is.</summary>
public static class ExampleSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS items (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, updated_at TEXT NOT NULL);
        """;

    public static void Seed(SqliteConnection db, DateTimeOffset now)
    {
        Item(db, "ITEM-1", "First item", "open", now.AddDays(-2));
        Item(db, "ITEM-2", "Second item", "done", now.AddDays(-1));
    }

    private static void Item(SqliteConnection db, string id, string name, string status, DateTimeOffset at) =>
        db.Run("INSERT INTO items (id, name, status, updated_at) VALUES ($id, $n, $s, $at)",
            ("$id", id), ("$n", name), ("$s", status), ("$at", at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
}
