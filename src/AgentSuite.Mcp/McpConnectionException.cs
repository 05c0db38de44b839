namespace AgentSuite.Mcp;

/// <summary>A server could not be reached or started; nothing was sent to it, so nothing ran.</summary>
public sealed class McpConnectionException : Exception
{
    public McpConnectionException(string message)
        : base(message)
    {
    }

    public McpConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
