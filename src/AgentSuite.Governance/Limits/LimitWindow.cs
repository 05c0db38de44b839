namespace AgentSuite.Governance.Limits;

/// <summary>
/// A fixed window of <see cref="Length"/> under <paramref name="Key"/>, admitting <paramref name="Limit"/> calls: it opens
/// at its first call and counts until it ends. The limit is part of the window's identity, so a reloaded limit opens a
/// fresh one.
/// </summary>
public readonly record struct LimitWindow(string Key, int Limit)
{
    /// <summary>Every rate limit counts per minute.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(1);
}
