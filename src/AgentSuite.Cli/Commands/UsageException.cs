namespace AgentSuite.Cli.Commands;

/// <summary>A command line (or environment variable) the CLI cannot act on; the message says what to change.</summary>
internal sealed class UsageException(string message) : Exception(message);
