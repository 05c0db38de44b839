namespace AgentSuite.Cli.Api;

/// <summary>The Api process that answered (<c>machine/pid/nonce</c>) and when it started.</summary>
public sealed record StatusInstance(string Name, DateTimeOffset? StartedAt);
