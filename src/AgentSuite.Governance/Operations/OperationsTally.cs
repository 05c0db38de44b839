using AgentSuite.Governance.Conversations;

namespace AgentSuite.Governance.Operations;

/// <summary>
/// Collects what a store read for one window (turns one by one, audit counts already grouped by bucket) and makes the
/// window's figures, so every store computes percentiles, ratios and buckets the same way.
/// </summary>
public sealed class OperationsTally(MetricsWindow window)
{
    /// <summary>The audit kinds the figures count besides the tool decisions and failures.</summary>
    public const string ApprovalRequested = "approval.requested";

    public const string ApprovalResolved = "approval.resolved";

    private readonly List<double> _turnMs = [];
    private readonly List<double> _waitSeconds = [];
    private readonly long[] _turnBuckets = new long[window.BucketCount];
    private readonly long[] _approvalBuckets = new long[window.BucketCount];
    private readonly long[] _denialBuckets = new long[window.BucketCount];
    private readonly long[] _failureBuckets = new long[window.BucketCount];
    private readonly SortedDictionary<string, long> _byStage = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byTool = new(StringComparer.Ordinal);
    private long _completed;
    private long _failed;
    private long _abandoned;

    /// <summary>
    /// One grouped audit count as every store's query returns it: the kind, the stage or tool it is labelled with, its
    /// bucket, the summed approval wait (resolutions only) and how many entries.
    /// </summary>
    public void AddAuditCount(string kind, string? label, long bucket, double? waitSeconds, long count)
    {
        switch (kind)
        {
            case ApprovalRequested:
                AddApprovalsRequested(bucket, count);
                break;
            case ApprovalResolved when waitSeconds is { } wait:
                AddApprovalWaits(wait, count);
                break;
            case GovernanceEventTypes.ToolDecision:
                AddDenials(label, bucket, count);
                break;
            case GovernanceEventTypes.ToolFailed:
                AddFailures(label, bucket, count);
                break;
        }
    }

    /// <summary>A turn that ended in the window with <paramref name="status"/> after <paramref name="durationMs"/>.</summary>
    public void AddTurn(string status, double durationMs, long bucket)
    {
        _turnMs.Add(durationMs);
        _turnBuckets[window.Clamp(bucket)]++;
        switch (status)
        {
            case TurnStatus.Completed:
                _completed++;
                break;
            case TurnStatus.Abandoned:
                _abandoned++;
                _failed++;
                break;
            default:
                _failed++;
                break;
        }
    }

    public void AddApprovalsRequested(long bucket, long count) => _approvalBuckets[window.Clamp(bucket)] += count;

    /// <summary><paramref name="count"/> requests resolved in the window after waiting <paramref name="seconds"/> each.</summary>
    public void AddApprovalWaits(double seconds, long count)
    {
        for (var i = 0; i < count; i++)
        {
            _waitSeconds.Add(seconds);
        }
    }

    /// <summary>Denials by <paramref name="stage"/>; an entry that names none (an unattributable call) counts as <c>unknown</c>.</summary>
    public void AddDenials(string? stage, long bucket, long count)
    {
        _denialBuckets[window.Clamp(bucket)] += count;
        Add(_byStage, stage ?? "unknown", count);
    }

    public void AddFailures(string? tool, long bucket, long count)
    {
        _failureBuckets[window.Clamp(bucket)] += count;
        Add(_byTool, tool ?? "unknown", count);
    }

    public OperationsWindow Build()
    {
        var turns = _turnMs.Count;
        var requested = _approvalBuckets.Sum();
        return new OperationsWindow(window.Name, window.From, window.To, window.BucketSeconds,
            new TurnFigures(turns, _completed, _failed, _abandoned,
                Round(Percentile.NearestRank(_turnMs, 50), 1), Round(Percentile.NearestRank(_turnMs, 95), 1), _turnBuckets),
            new ApprovalFigures(requested, turns == 0 ? null : Math.Round((double)requested / turns, 3),
                Round(Percentile.NearestRank(_waitSeconds, 50), 3), Round(Percentile.NearestRank(_waitSeconds, 95), 3), _waitSeconds.Count, _approvalBuckets),
            new DenialFigures(_denialBuckets.Sum(), _byStage, _denialBuckets),
            new FailureFigures(_failureBuckets.Sum(), _byTool, _failureBuckets));
    }

    private static void Add(SortedDictionary<string, long> counts, string key, long count) =>
        counts[key] = counts.GetValueOrDefault(key) + count;

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
