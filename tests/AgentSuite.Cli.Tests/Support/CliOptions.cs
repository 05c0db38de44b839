namespace AgentSuite.Cli.Tests.Support;

/// <summary>How a test runs the CLI: its input, environment, transport, and a writer to watch while it runs.</summary>
public sealed record CliOptions
{
    public Dictionary<string, string?> Environment { get; init; } = [];

    public HttpMessageHandler? Transport { get; init; }

    public TextReader? Input { get; init; }

    public LiveWriter? Output { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>The terminal's width in columns; wide enough that nothing wraps unless a test says otherwise.</summary>
    public int? Width { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
