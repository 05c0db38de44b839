namespace AgentSuite.Api.Contract;

/// <summary><c>GET /api/me</c>: who the Api takes the caller to be, and whether it runs in local demo mode.</summary>
internal sealed record CallerView(string Name, IReadOnlyList<string> Roles, bool DemoMode);
