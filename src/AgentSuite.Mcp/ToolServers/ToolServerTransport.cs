namespace AgentSuite.Mcp.ToolServers;

/// <summary>How the AppHost runs a tool server; the Api's embedded defaults run every one over stdio.</summary>
public enum ToolServerTransport
{
    /// <summary>Under the AppHost its own resource serving Streamable HTTP at /mcp (a Project's default).</summary>
    Http,

    /// <summary>Always a child process of the Api, also under the AppHost (the only choice for a Command).</summary>
    Stdio,
}
