namespace AgentSuite.Governance.Idempotency;

/// <summary>Durable memory of side-effecting calls, so that a repeated call returns the first result instead of running again.</summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="record"/>.Key for a new execution. Returns null when the claim was taken, or the record
    /// already stored under the key (pending, completed or unknown) when it was not.
    /// </summary>
    Task<IdempotencyRecord?> TryClaimAsync(IdempotencyRecord record, CancellationToken cancellationToken = default);

    Task<IdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores the result of the call holding <paramref name="key"/>, and when it completed.</summary>
    Task CompleteAsync(string key, string resultJson, DateTimeOffset completedAt, CancellationToken cancellationToken = default);

    /// <summary>Marks a claimed call whose outcome is unknown, so retries stop instead of running it twice.</summary>
    Task MarkUnknownAsync(string key, string note, CancellationToken cancellationToken = default);

    /// <summary>Drops a claim whose call never started or failed cleanly, so it may be retried.</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken = default);
}
