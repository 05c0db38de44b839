namespace AgentSuite.Mcp;

/// <summary>The <c>Mcp</c> configuration section: the tool servers the app connects to.</summary>
public sealed class McpOptions
{
    public const string SectionName = "Mcp";

    /// <summary>By server name; the name is the <c>server</c> in <c>server/tool</c> for governance.</summary>
    public Dictionary<string, McpServerConnectionOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long one tool call may take before it is abandoned (and its outcome treated as unknown).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting to a server (starting its process, the MCP handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the Api's status monitor asks each server whether it answers (GET /api/status reads the last answer).</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(5);
}
