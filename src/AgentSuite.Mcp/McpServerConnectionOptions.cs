namespace AgentSuite.Mcp;

/// <summary>One server: either a command started over stdio, or the URL of a Streamable HTTP endpoint.</summary>
public sealed class McpServerConnectionOptions
{
    /// <summary>The program to start for stdio, e.g. <c>dotnet</c>.</summary>
    public string? Command { get; set; }

    public List<string> Arguments { get; set; } = [];

    public string? WorkingDirectory { get; set; }

    public Dictionary<string, string?> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A Streamable HTTP endpoint, e.g. <c>http://127.0.0.1:5101/mcp</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>Extra HTTP headers for <see cref="Url"/> (e.g. an API key for the tool server).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
