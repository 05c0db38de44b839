using AgentSuite.Governance;

namespace AgentSuite.Mcp;

/// <summary>MCP's tool annotations as governance reads them.</summary>
public static class McpAnnotations
{
    public static ToolAnnotations From(ModelContextProtocol.Protocol.ToolAnnotations? annotations) =>
        annotations is null
            ? ToolAnnotations.None
            : new ToolAnnotations(annotations.ReadOnlyHint, annotations.DestructiveHint, annotations.IdempotentHint, annotations.OpenWorldHint);
}
