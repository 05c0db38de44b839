namespace AgentSuite.Governance.Operations;

/// <summary>
/// A span of time, <see cref="From"/> inclusive to <see cref="To"/> exclusive, cut into buckets of
/// <see cref="BucketSeconds"/> counted from <see cref="From"/>.
/// </summary>
public sealed record MetricsWindow(string Name, DateTimeOffset From, DateTimeOffset To, int BucketSeconds)
{
    /// <summary>The last hour in twelve buckets of five minutes, ending at <paramref name="to"/>.</summary>
    public static MetricsWindow Hour(DateTimeOffset to) => new("hour", to.AddHours(-1), to, 300);

    /// <summary>The last day in 24 buckets of an hour, ending at <paramref name="to"/>.</summary>
    public static MetricsWindow Day(DateTimeOffset to) => new("day", to.AddDays(-1), to, 3600);

    public int BucketCount => (int)Math.Ceiling((To - From).TotalSeconds / BucketSeconds);

    /// <summary>The bucket an index computed by a store falls in, kept within the window against rounding at its edges.</summary>
    public int Clamp(long bucket) => (int)Math.Clamp(bucket, 0, BucketCount - 1);
}
