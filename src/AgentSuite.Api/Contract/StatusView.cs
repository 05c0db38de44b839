namespace AgentSuite.Api.Contract;

/// <summary>The answer of <c>GET /api/status</c>: what is running and under which policy, for an operator.</summary>
internal sealed record StatusView(
    InstanceView Instance,
    IReadOnlyList<ServerStatusView> Servers,
    IReadOnlyList<ToolPinView> Tools,
    ModelView Model,
    PolicyView Policy,
    IReadOnlyList<EngagedSwitchView> KillSwitches,
    IReadOnlyList<TokenBudgetView> Budgets,
    IReadOnlyList<InstanceStatusView> Instances);
