namespace AgentSuite.Governance.KillSwitch;

/// <summary>An engaged switch and where it was engaged: <c>configuration</c> or <c>runtime</c>.</summary>
public sealed record KillSwitchState(string Scope, string Source);
