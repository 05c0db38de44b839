namespace AgentSuite.Governance.KillSwitch;

/// <summary>Persists switches engaged at run time, so a restart does not silently release them.</summary>
public interface IKillSwitchStore
{
    Task<IReadOnlyList<string>> LoadEngagedAsync(CancellationToken cancellationToken = default);

    Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, CancellationToken cancellationToken = default);
}
