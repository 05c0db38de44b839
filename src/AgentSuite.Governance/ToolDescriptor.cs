namespace AgentSuite.Governance;

/// <summary>
/// What governance needs to know about a tool beyond the function itself: its <c>server/tool</c> identity, its MCP
/// annotations, and optionally the name the model sees (model APIs allow only letters, digits, '_' and '-').
/// </summary>
public sealed record ToolDescriptor(ToolIdentity Identity, ToolAnnotations Annotations, string? ModelName = null)
{
    public ToolDescriptor(ToolIdentity identity)
        : this(identity, ToolAnnotations.None)
    {
    }
}
