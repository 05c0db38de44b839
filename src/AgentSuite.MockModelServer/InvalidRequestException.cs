namespace AgentSuite.MockModelServer;

/// <summary>A request the server cannot answer; <see cref="Param"/> names the offending field as OpenAI's errors do.</summary>
public sealed class InvalidRequestException(string message, string? param) : Exception(message)
{
    public string? Param { get; } = param;
}
