namespace AgentSuite.Cli.Api;

/// <summary>The Api could not be reached at <see cref="BaseAddress"/> (refused, unknown host, no answer in time).</summary>
public sealed class ApiUnreachableException(Uri baseAddress, string reason, Exception? inner = null)
    : Exception($"Cannot reach the AgentSuite Api at {baseAddress}: {reason}", inner)
{
    public Uri BaseAddress { get; } = baseAddress;

    public string Reason { get; } = reason;
}
