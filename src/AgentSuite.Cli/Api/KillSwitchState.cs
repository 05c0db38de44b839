namespace AgentSuite.Cli.Api;

/// <summary>The answer of <c>GET</c> and <c>PUT /api/governance/kill-switch</c>.</summary>
public sealed record KillSwitchState(IReadOnlyList<KillSwitch>? Engaged);
