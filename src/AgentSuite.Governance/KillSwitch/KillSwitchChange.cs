namespace AgentSuite.Governance.KillSwitch;

/// <summary>The last change of a switch engaged at run time: who made it, when, and why (when they said).</summary>
public sealed record KillSwitchChange(string Scope, string? ChangedBy, DateTimeOffset? ChangedAt, string? Reason);
