namespace AgentSuite.Api.AgentServer;

/// <summary>
/// The <c>AgentServer</c> section: which agents the Api serves over MCP at <c>/mcp</c>, each as one tool <c>ask_NAME</c>,
/// to whom, and how long a call waits for its turn. No agents: no endpoint.
/// </summary>
public sealed class AgentServerOptions
{
    public const string Section = "AgentServer";

    /// <summary>The agents served, by name (a file in <c>prompts/</c>), each with who may ask it.</summary>
    public Dictionary<string, ServedAgentOptions> Agents { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a call waits for its turn when it does not say (<c>wait_seconds</c>).</summary>
    public int DefaultWaitSeconds { get; set; } = 20;

    /// <summary>The longest wait a call may ask for; a turn that takes longer goes on in the background.</summary>
    public int MaxWaitSeconds { get; set; } = 120;
}
