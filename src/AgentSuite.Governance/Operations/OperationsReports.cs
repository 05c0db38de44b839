namespace AgentSuite.Governance.Operations;

/// <summary>The report of <c>GET /api/status/metrics</c>: the last hour and the last day up to one instant.</summary>
public static class OperationsReports
{
    /// <summary>Both windows ending at <paramref name="end"/>, stamped <paramref name="generatedAt"/> (the two differ for a look at the past).</summary>
    public static async Task<OperationsReport> ReadReportAsync(this IOperationsMetrics metrics, DateTimeOffset end, DateTimeOffset generatedAt, CancellationToken cancellationToken = default)
    {
        var hour = await metrics.ReadAsync(MetricsWindow.Hour(end), cancellationToken);
        var day = await metrics.ReadAsync(MetricsWindow.Day(end), cancellationToken);
        return new OperationsReport(generatedAt, [hour, day]);
    }
}
