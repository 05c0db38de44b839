namespace AgentSuite.Governance.KillSwitch;

/// <summary>An engaged switch and where it was engaged: <c>configuration</c> or <c>runtime</c>; a runtime one says who, when and why.</summary>
public sealed record KillSwitchState(string Scope, string Source)
{
    public string? ChangedBy { get; init; }

    public DateTimeOffset? ChangedAt { get; init; }

    public string? Reason { get; init; }
}
