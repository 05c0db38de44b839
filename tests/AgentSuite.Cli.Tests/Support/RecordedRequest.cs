namespace AgentSuite.Cli.Tests.Support;

/// <summary>A request the CLI sent to <see cref="CannedApi"/>: "METHOD path", its headers and body.</summary>
public sealed record RecordedRequest(string Route, IReadOnlyDictionary<string, string> Headers, string? Body);
