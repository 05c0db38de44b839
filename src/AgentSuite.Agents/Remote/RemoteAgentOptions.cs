namespace AgentSuite.Agents.Remote;

/// <summary>
/// <c>Agents:Remote:NAME</c>: the agent <c>NAME</c> runs in another process, an AgentSuite Api serving it over MCP, and a
/// hand-off to it (still governed here as <c>agents/ask_NAME</c>) is a call to that server's <c>ask_NAME</c> tool.
/// </summary>
public sealed class RemoteAgentOptions
{
    /// <summary>The remote Api's MCP endpoint, e.g. <c>https://billing.internal/mcp</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>The key presented there (header <c>X-Api-Key</c>); it must hold the remote's <c>delegate</c> role to act for the person.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>How long a hand-off waits for the remote turn's outcome, asking again as needed; default <c>Governance:Approval:Timeout</c>.</summary>
    public int? WaitSeconds { get; set; }

    /// <summary>Allows plain HTTP to a host that is not loopback, where the key and the person's name travel unencrypted.</summary>
    public bool AllowInsecureHttp { get; set; }
}
