namespace AgentSuite.Plugins.Tests.Support;

/// <summary>The MCP hints one tool declares in its <c>[McpServerTool]</c> attribute.</summary>
public sealed record ToolHints(bool ReadOnly, bool Destructive, bool Idempotent, bool OpenWorld);

/// <summary>Every plugin's tools with the hints their <c>[McpServerTool]</c> attributes declare: what any client must be shown.</summary>
public static class DeclaredTools
{
    private static readonly ToolHints Reads = new(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false);

    public static IReadOnlyDictionary<string, ToolHints> Of(string plugin) => plugin switch
    {
        BuiltPlugins.Billing => new Dictionary<string, ToolHints>
        {
            ["get_invoice"] = Reads,
            ["list_charges"] = Reads,
            ["issue_refund"] = new(ReadOnly: false, Destructive: true, Idempotent: true, OpenWorld: false),
        },
        BuiltPlugins.Crm => new Dictionary<string, ToolHints>
        {
            ["find_customer"] = Reads,
            ["get_case"] = Reads,
            ["create_case"] = new(ReadOnly: false, Destructive: false, Idempotent: false, OpenWorld: false),
            ["escalate_case"] = new(ReadOnly: false, Destructive: false, Idempotent: true, OpenWorld: false),
        },
        BuiltPlugins.Policy => new Dictionary<string, ToolHints>
        {
            ["get_refund_policy"] = Reads,
            ["check_refund"] = Reads,
        },
        _ => throw new ArgumentException($"{plugin} is not one of the plugins.", nameof(plugin)),
    };
}
