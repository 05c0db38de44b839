using System.Collections.Concurrent;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The refunds the external agents were told about, by request id, over the whole run: what Billing's own file is
/// checked against afterwards.
/// </summary>
internal sealed class RefundBook
{
    private readonly ConcurrentDictionary<string, string> _answered = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Answered => _answered;

    /// <summary>Notes a refund reply; false when this request was answered before with another refund id.</summary>
    public bool Note(string request, string refundId) => string.Equals(_answered.GetOrAdd(request, refundId), refundId, StringComparison.Ordinal);
}
