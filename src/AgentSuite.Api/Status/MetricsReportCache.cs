using AgentSuite.Governance.Operations;

namespace AgentSuite.Api.Status;

/// <summary>
/// The operations report ending now, computed at most once every <see cref="Lifetime"/> and shared by every caller,
/// because one costs hundreds of milliseconds on a busy audit and every open Status tab asks for it.
/// </summary>
internal sealed class MetricsReportCache(IOperationsMetrics metrics, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private Task<OperationsReport>? _report;
    private DateTimeOffset _computedAt;

    /// <summary>The report made within <see cref="Lifetime"/>, or a new one; a failed one is never served again.</summary>
    public Task<OperationsReport> LatestAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_report is null || _report.IsFaulted || _report.IsCanceled || now - _computedAt >= Lifetime)
            {
                _computedAt = now;
                // Not the caller's token: the report is shared, so one caller going away must not cancel it for the rest.
                _report = metrics.ReadReportAsync(now, now, CancellationToken.None);
            }

            return _report.WaitAsync(cancellationToken);
        }
    }
}
