namespace AgentSuite.Api.Contract;

/// <summary>One engaged kill switch: its scope, and whether it was set at run time or in configuration.</summary>
internal sealed record KillSwitchView(string Scope, string Source);
