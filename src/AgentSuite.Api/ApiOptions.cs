namespace AgentSuite.Api;

/// <summary>The <c>AgentSuite</c> section: where the Api keeps its files and how large a message may be.</summary>
public sealed class ApiOptions
{
    /// <summary>Folder for the SQLite store and the plugins' data files; relative paths are under the content root.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>The longest user message accepted, in characters; a longer one is refused with 413.</summary>
    public int MaxMessageChars { get; set; } = 4000;

    /// <summary>How often an open event stream sends a keep-alive comment while a turn waits (for an approval, say).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
