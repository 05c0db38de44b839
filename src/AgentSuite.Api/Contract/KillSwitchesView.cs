namespace AgentSuite.Api.Contract;

/// <summary>The kill switches engaged now.</summary>
internal sealed record KillSwitchesView(IReadOnlyList<KillSwitchView> Engaged);
