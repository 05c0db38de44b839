namespace AgentSuite.Cli.Api;

/// <summary>An engaged kill switch: its scope and where it was engaged (configuration or at run time).</summary>
public sealed record KillSwitch(string Scope, string? Source);
