namespace AgentSuite.Governance.Operations;

/// <summary>Percentiles by the nearest-rank method: a value that was actually observed, never an interpolation.</summary>
public static class Percentile
{
    /// <summary>The smallest value with at least <paramref name="percent"/>% of the values at or below it; null for none.</summary>
    public static double? NearestRank(List<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var rank = (int)Math.Ceiling(percent / 100 * values.Count);
        return values[Math.Clamp(rank, 1, values.Count) - 1];
    }
}
