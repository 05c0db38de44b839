using System.Globalization;
using Microsoft.Data.Sqlite;
using ModelContextProtocol;

namespace Example.McpServer;

/// <summary>The items in the server's data file. Failures are <see cref="McpException"/>s a model can act on.</summary>
public sealed class ExampleStore(PluginDatabase database)
{
    private static readonly string[] Statuses = ["open", "done"];

    public ExampleItem GetItem(string itemId)
    {
        using var db = database.Open();
        return Read(db, Normalize(itemId)) ?? throw NotFound(itemId);
    }

    public ExampleItem SetStatus(string itemId, string status)
    {
        var wanted = status?.Trim().ToLowerInvariant() ?? "";
        if (!Statuses.Contains(wanted))
        {
            throw new McpException($"status '{status}' is not one of {string.Join(", ", Statuses)}.");
        }

        return database.Write(db =>
        {
            var item = Read(db, Normalize(itemId)) ?? throw NotFound(itemId);
            db.Run("UPDATE items SET status = $s, updated_at = $at WHERE id = $id",
                ("$s", wanted), ("$at", DateTimeOffset.UtcNow.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("$id", item.ItemId));
            return Read(db, item.ItemId)!;
        });
    }

    private static ExampleItem? Read(SqliteConnection db, string itemId) =>
        db.Query("SELECT id, name, status, updated_at FROM items WHERE id = $id",
            r => new ExampleItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), ("$id", itemId)).SingleOrDefault();

    private static McpException NotFound(string itemId) => new($"Item '{itemId}' does not exist. Item ids look like ITEM-1.");

    private static string Normalize(string id) => (id ?? "").Trim().ToUpperInvariant();
}
