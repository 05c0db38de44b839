namespace AgentSuite.Governance.AgentCalls;

/// <summary>The idempotency keys of calls to served agents, per caller.</summary>
public interface IAgentCallStore
{
    /// <summary>The call stored under the caller's key, or null.</summary>
    Task<AgentCall?> GetAsync(string caller, string key, CancellationToken cancellationToken = default);

    /// <summary>Claims the caller's key for <paramref name="call"/>. Returns null when the claim was taken, or the call already stored under the key.</summary>
    Task<AgentCall?> TryClaimAsync(AgentCall call, CancellationToken cancellationToken = default);

    /// <summary>Records the conversation and turn a claimed call started.</summary>
    Task SetRunAsync(string caller, string key, string conversationId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Drops a claim whose turn never started, so the key may be used again.</summary>
    Task ReleaseAsync(string caller, string key, CancellationToken cancellationToken = default);
}
