namespace AgentSuite.Governance;

/// <summary>
/// Thrown by a tool when it cannot know whether its call took effect (a timeout, a transport that died mid-call).
/// Governance treats such a side-effecting call as possibly done: it is never retried under the same idempotency key.
/// </summary>
public class ToolOutcomeUnknownException : Exception
{
    public ToolOutcomeUnknownException()
    {
    }

    public ToolOutcomeUnknownException(string message)
        : base(message)
    {
    }

    public ToolOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
