namespace AgentSuite.Api.Contract;

/// <summary>One engaged kill switch: its scope, whether it was set at run time or in configuration, and for a run-time one who set it, when and why.</summary>
internal sealed record KillSwitchView(string Scope, string Source)
{
    public string? ChangedBy { get; init; }

    public DateTimeOffset? ChangedAt { get; init; }

    public string? Reason { get; init; }
}
