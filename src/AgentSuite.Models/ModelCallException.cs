namespace AgentSuite.Models;

/// <summary>A model call that failed for good (its retries spent); the message says what the model answered, never the key.</summary>
public sealed class ModelCallException(string message, int? status, Exception? inner) : Exception(message, inner)
{
    /// <summary>The HTTP status of the last answer; null when none came (a timeout or a refused connection).</summary>
    public int? Status { get; } = status;
}
