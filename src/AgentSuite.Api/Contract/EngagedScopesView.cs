namespace AgentSuite.Api.Contract;

/// <summary><c>GET /api/kill-switch</c>: the scopes of the engaged kill switches (<c>global</c>, <c>agent:billing</c>, ...).</summary>
internal sealed record EngagedScopesView(IReadOnlyList<string> Engaged);
