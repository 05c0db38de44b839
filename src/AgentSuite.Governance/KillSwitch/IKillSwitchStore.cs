namespace AgentSuite.Governance.KillSwitch;

/// <summary>Persists switches engaged at run time, so a restart does not silently release them.</summary>
public interface IKillSwitchStore
{
    Task<IReadOnlyList<string>> LoadEngagedAsync(CancellationToken cancellationToken = default);

    Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Sets a switch and keeps why; a store that cannot keep a reason keeps the rest.</summary>
    Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, string? reason, CancellationToken cancellationToken = default) =>
        SetAsync(scope, engaged, changedBy, at, cancellationToken);

    /// <summary>Who engaged each engaged switch, when and why; a store that does not keep it answers the scopes alone.</summary>
    async Task<IReadOnlyList<KillSwitchChange>> LoadEngagedChangesAsync(CancellationToken cancellationToken = default) =>
        (await LoadEngagedAsync(cancellationToken)).Select(s => new KillSwitchChange(s, null, null, null)).ToList();

    /// <summary>
    /// A number that changes whenever any instance engages or releases a switch (one indexed read), or null when the store
    /// is not shared. With a version, the kill switch checks it on every tool call and reloads the set when it moved, so a
    /// switch engaged through one instance stops the calls every other instance starts after that request returned.
    /// </summary>
    ValueTask<long?> GetVersionAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<long?>(null);
}
