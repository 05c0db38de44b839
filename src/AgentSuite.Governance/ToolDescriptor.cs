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

    /// <summary>
    /// Why this definition is a stand-in (its server could not describe the tool when it was offered), or null. A
    /// stand-in is never pinned, so the real definition is what trust-on-first-use pins, and never run.
    /// </summary>
    public string? Provisional { get; init; }
}
