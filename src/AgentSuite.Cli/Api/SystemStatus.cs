namespace AgentSuite.Cli.Api;

/// <summary>The answer of <c>GET /api/status</c>: what is running and under which policy.</summary>
public sealed record SystemStatus(
    StatusInstance? Instance,
    IReadOnlyList<ServerStatus>? Servers,
    IReadOnlyList<ToolPinStatus>? Tools,
    ModelStatus? Model,
    PolicyStatus? Policy,
    IReadOnlyList<EngagedSwitch>? KillSwitches,
    IReadOnlyList<TokenBudget>? Budgets = null,
    IReadOnlyList<ApiInstanceStatus>? Instances = null);
