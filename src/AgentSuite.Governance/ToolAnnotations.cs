namespace AgentSuite.Governance;

/// <summary>
/// The MCP tool annotations that governance reads. Absent hints take the MCP defaults:
/// a tool is assumed to have side effects, to be destructive and not idempotent unless it says otherwise.
/// </summary>
public sealed record ToolAnnotations(bool? ReadOnlyHint = null, bool? DestructiveHint = null, bool? IdempotentHint = null, bool? OpenWorldHint = null)
{
    public static ToolAnnotations None { get; } = new();

    public static ToolAnnotations ReadOnly { get; } = new(ReadOnlyHint: true, DestructiveHint: false);

    public bool IsReadOnly => ReadOnlyHint == true;

    /// <summary>True unless the tool is read-only or says it is not destructive (MCP default).</summary>
    public bool IsDestructive => !IsReadOnly && DestructiveHint != false;

    /// <summary>Looks up a hint by its MCP name (<c>readOnlyHint</c>, <c>destructiveHint</c>, ...), applying the MCP defaults.</summary>
    public bool? Get(string hint) => hint switch
    {
        _ when hint.Equals("readOnlyHint", StringComparison.OrdinalIgnoreCase) => IsReadOnly,
        _ when hint.Equals("destructiveHint", StringComparison.OrdinalIgnoreCase) => IsDestructive,
        _ when hint.Equals("idempotentHint", StringComparison.OrdinalIgnoreCase) => IdempotentHint == true,
        _ when hint.Equals("openWorldHint", StringComparison.OrdinalIgnoreCase) => OpenWorldHint != false,
        _ => null,
    };
}
