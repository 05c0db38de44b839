using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Example.McpServer;

/// <summary>
/// The server's tools. Argument names are snake_case because they are the wire contract a model writes; the hints
/// (ReadOnly, Destructive, Idempotent) are what governance rules and approvals can match on.
/// </summary>
[McpServerToolType]
public sealed class ExampleTools(ExampleStore store)
{
    [McpServerTool(Name = "get_item", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Reads one item with its name and status.")]
    public ExampleItem GetItem(
        [Description("The item id, e.g. ITEM-1.")] string item_id) =>
        store.GetItem(item_id);

    [McpServerTool(Name = "set_item_status", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Sets an item's status to open or done and returns the item. Setting the status it already has changes nothing.")]
    public ExampleItem SetItemStatus(
        [Description("The item id, e.g. ITEM-1.")] string item_id,
        [Description("open or done.")] string status) =>
        store.SetStatus(item_id, status);
}
