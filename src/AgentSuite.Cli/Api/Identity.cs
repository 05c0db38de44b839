namespace AgentSuite.Cli.Api;

/// <summary>The answer of <c>GET /api/me</c>: who the Api takes the caller to be.</summary>
public sealed record Identity(string Name, IReadOnlyList<string>? Roles, bool DemoMode);
